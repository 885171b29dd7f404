namespace EntryModel.Generators.Model;

/// <summary>A contiguous run of bytes at a fixed address (runtime <c>ImageChunk</c>).</summary>
internal sealed record AssembledChunk(string Section, ulong Address, EquatableArray<byte> Bytes, int Permissions);

/// <summary>A symbol of the image (runtime <c>Symbol</c>; Kind is the runtime's <c>SymbolKind</c>).</summary>
internal sealed record AssembledSymbol(string Name, ulong Address, ulong Size, int Kind, string Section)
{
    /// <summary>Whether it is a declaration's own name (where that declaration starts), not a label inside one.</summary>
    public bool IsDeclaration { get; init; }
}

/// <summary>A resolved symbolic reference (Kind is the runtime's <c>RelocationKind</c>).</summary>
internal sealed record AssembledRelocation(ulong Address, int Kind, string Symbol, long Addend);

/// <summary>
/// One assembled instruction or data directive and the declaration line it came from, with the
/// span of its statement in the declaration's text (value offsets; the macro call's for expanded lines).
/// </summary>
internal sealed record AssembledLine(ulong Address, int Length, int DeclarationIndex, int Line, string Text, string MacroStack, int SourceOffset = -1, int SourceLength = 0);

/// <summary>An IDT gate of the image.</summary>
internal sealed record AssembledGate(int Vector, string Stub, ulong Address, string? Handler, bool ErrorCode, int Ist, bool Interrupt, int Dpl);

/// <summary>A named constant of the model (a <c>.set</c> of its macro declarations), e.g. a pt_regs offset.</summary>
internal sealed record AssembledConstant(string Name, long Value);

/// <summary>
/// A problem found while assembling: an id from <c>DiagnosticIds</c>, a message, and the span inside
/// the declaration's text (value offsets) that it is about.
/// </summary>
internal sealed record AsmDiagnostic(string Id, string Message, int DeclarationIndex, int Offset, int Length);

/// <summary>
/// The image of one strategy of a model, or the diagnostics that kept it from being built: the
/// link's own when the linker made it (the objects' stay with the objects), every stage's when
/// <c>GasAssembler.Assemble</c> ran the whole way.
/// </summary>
internal sealed record AssemblyResult(
    string Strategy,
    string? Description,
    EquatableArray<string> Defines,
    EquatableArray<AssembledChunk> Chunks,
    EquatableArray<AssembledSymbol> Symbols,
    EquatableArray<AssembledRelocation> Relocations,
    EquatableArray<AssembledLine> Lines,
    EquatableArray<AssembledGate> Gates,
    string? SyscallEntry,
    EquatableArray<AsmDiagnostic> Diagnostics,
    EquatableArray<AssembledConstant> Constants)
{
    public bool HasErrors => Diagnostics.Count > 0;

    /// <summary>The <c>.discard.*</c> sections (unwind hints and other annotations): read by validation, never loaded into the image.</summary>
    public EquatableArray<AssembledChunk> Discarded { get; init; } = EquatableArray<AssembledChunk>.Empty;
}
