namespace EntryModel;

/// <summary>
/// What the generator produces for one frame strategy of a kernel model: code and data chunks at
/// fixed addresses, symbols, relocations, a line map, the IDT, the syscall entry and, when the
/// strategy asks for them, ORC tables.
/// </summary>
public sealed class KernelImage
{
    public KernelImage(
        string model,
        string strategy,
        string? description,
        IReadOnlyList<string> defines,
        IReadOnlyList<ImageChunk> chunks,
        SymbolTable symbols,
        IReadOnlyList<Relocation> relocations,
        IReadOnlyList<LineMapEntry> lines,
        IReadOnlyList<IdtGate> idt,
        string? syscallEntry,
        IReadOnlyDictionary<string, long>? constants = null,
        OrcTable? orc = null,
        IReadOnlyList<ValidationFinding>? validation = null)
    {
        Model = model;
        Strategy = strategy;
        Description = description;
        Defines = defines;
        Chunks = chunks;
        Symbols = symbols;
        Relocations = relocations;
        Lines = lines;
        Idt = idt;
        SyscallEntry = syscallEntry;
        Constants = constants ?? new Dictionary<string, long>(StringComparer.Ordinal);
        Orc = orc;
        Validation = validation ?? [];
    }

    public string Model { get; }

    public string Strategy { get; }

    public string? Description { get; }

    public IReadOnlyList<string> Defines { get; }

    public IReadOnlyList<ImageChunk> Chunks { get; }

    public SymbolTable Symbols { get; }

    public IReadOnlyList<Relocation> Relocations { get; }

    public IReadOnlyList<LineMapEntry> Lines { get; }

    public IReadOnlyList<IdtGate> Idt { get; }

    /// <summary>The symbol <c>MSR_LSTAR</c> points at, if the model declares a syscall entry.</summary>
    public string? SyscallEntry { get; }

    /// <summary>
    /// The constants the model's <c>[GasMacros]</c> declarations set (e.g. pt_regs offsets such as
    /// <c>RIP</c>, ABI offsets): what code outside the image needs to agree with it on layouts.
    /// </summary>
    public IReadOnlyDictionary<string, long> Constants { get; }

    /// <summary>The ORC tables the generator's validation pass wrote, for a strategy that asks for them (CONFIG_UNWINDER_ORC); null otherwise.</summary>
    public OrcTable? Orc { get; }

    /// <summary>What the generator's stack validation found in this image's kernel text (empty: it validated cleanly).</summary>
    public IReadOnlyList<ValidationFinding> Validation { get; }

    /// <summary>A constant the model must define; a clear error names it when it does not.</summary>
    public long Constant(string name) =>
        Constants.TryGetValue(name, out long value) ? value : throw new KeyNotFoundException($"model {Model} ({Strategy}) defines no constant '{name}' in its [GasMacros]");

    public override string ToString() => $"{Model}/{Strategy}";
}
