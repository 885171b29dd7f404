using System.Diagnostics;
using EntryModel.Oracles.Kernel;
using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using EntryModel.Generators.Encoding;
using EntryModel.Generators.Model;
using EntryModel.Generators.Syntax;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace EntryModel.Benchmarks;

/// <summary>
/// Question (issue 15): how fast is the generator on a real kernel file, next to GNU as on the same
/// text? The workload: Linux 6.1's <c>arch/x86/entry/entry_64.S</c> after kbuild's cpp step (the
/// ORC x86_64_defconfig file of the kernel corpus <c>.ci/kernel-corpus</c> prepares; about 2,000
/// lines that expand to the whole 64-bit entry code through the kernel's macros). Measured side by side:
/// GNU as assembling it as a process (<c>as --64 -o x.o file</c>, the baseline); the generator's
/// assembler core on it in-process (split, expand, lay out, build the relocatable object); a full
/// generation through the Roslyn driver of a [KernelModel] whose <c>[GasCode, GasFile]</c> declaration
/// is the file (an AdditionalFiles item, as a user pastes the kernel's file) plus a declaration
/// defining, as data outside kernel text, every symbol the file references but does not define
/// (calls to them leave the object, as objtool sees them), under one frame strategy (<c>orc</c>, defining CONFIG_UNWINDER_ORC as the
/// file's configuration does: assemble, link, validate the stack frames with ORC rows, emit); and
/// the warm driver's re-run after one line of the file changed (an instruction's immediate).
/// Targets: a full generation at most 5x GNU as's time; an edit of one line at most 50 ms.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class KernelFileBenchmark
{
    /// <summary>The corpus file, relative to the corpus root.</summary>
    public const string KernelPath = "arch/x86/entry/entry_64.s";

    /// <summary>The line the edit benchmark changes (once in the file), and what it becomes.</summary>
    public const string EditedLine = "movl $1, %ebx";
    public const string EditedTo = "movl $2, %ebx";

    private const string ModelPath = "/bench/Entry64.cs";

    private string file = string.Empty;
    private string objectFile = string.Empty;
    private string text = string.Empty;
    /// <summary>Where the model's AdditionalFiles item says the file is.</summary>
    private const string FilePath = "/bench/arch/x86/entry/entry_64.s";

    private CSharpCompilation compilation = null!;
    private GeneratorHarness.InMemoryText original = null!;
    private GeneratorHarness.InMemoryText edited = null!;
    private GeneratorDriver warm = null!;
    private bool showEdited;

    /// <summary>The file's text.</summary>
    public string Text => text;

    /// <summary>The names the file references but does not define, with the section each is defined in.</summary>
    public IReadOnlyList<(string Name, string Section)> Externs { get; private set; } = [];

    /// <summary>The frame strategy the core is run under (the model's only one, without its description).</summary>
    internal static StrategySource Strategy { get; } = new("orc", null, new EquatableArray<string>(["CONFIG_UNWINDER_ORC"]));

    /// <summary>The corpus file (<see cref="KernelCorpus"/>: ENTRYMODEL_KERNEL_CORPUS, else the cache), as the oracle tests find it.</summary>
    public static string CorpusFile() => KernelCorpus.PathOf("orc", KernelPath);

    [GlobalSetup]
    public void Setup()
    {
        file = CorpusFile();
        text = File.ReadAllText(file);
        if (Count(text, EditedLine) != 1)
        {
            throw new InvalidOperationException($"the edited line '{EditedLine}' must occur exactly once in {file}");
        }

        objectFile = Path.Combine(Directory.CreateTempSubdirectory("entrymodel-kernel-bench-").FullName, "entry_64.o");
        if (Run("as", "--64", "-o", objectFile, file) != 0)
        {
            throw new InvalidOperationException($"GNU as (as --64) must be on PATH and assemble {file}");
        }

        // The core alone must assemble the file without a diagnostic, as the GNU as oracle requires.
        var core = AssembleCore(text);
        var diagnostics = core.Parsed.Diagnostics.Concat(core.Object.Diagnostics).ToList();
        if (diagnostics.Count > 0 || core.Object.Fragments.Count == 0)
        {
            throw new InvalidOperationException($"the assembler core reports {diagnostics.Count} diagnostics on {file}: {string.Join("; ", diagnostics.Take(3).Select(d => $"{d.Id} {d.Message}"))}");
        }

        Externs = UndefinedSymbols(core.Object);
        compilation = GeneratorHarness.Compile(ModelSource(Externs), ModelPath);
        original = new GeneratorHarness.InMemoryText(FilePath, text);
        edited = new GeneratorHarness.InMemoryText(FilePath, text.Replace(EditedLine, EditedTo, StringComparison.Ordinal));

        // Both versions must generate cleanly (links with no undefined symbol, no error at all), and
        // the image must hold the file's entry points and the edited instruction.
        Check(GeneratorHarness.Run(GeneratorHarness.NewDriver(edited), compilation, out var editedErrors), editedErrors, EditedTo);
        warm = GeneratorHarness.Run(GeneratorHarness.NewDriver(original), compilation, out var errors);
        Check(warm, errors, EditedLine);
    }

    /// <summary>GNU as assembling the file into an object, including starting its process.</summary>
    [Benchmark(Baseline = true)]
    public int GnuAs() => Run("as", "--64", "-o", objectFile, file);

    /// <summary>The generator's assembler core in-process: split the file into statements, then expand, lay out and build its relocatable object.</summary>
    [Benchmark]
    public int AssemblerCore() => AssembleCore(text).Object.Fragments.Count;

    /// <summary>Everything from the model's source text to generated C#, with a fresh driver (no cache).</summary>
    [Benchmark]
    public int FullGeneration() => GeneratorHarness.NewDriver(original).RunGenerators(compilation).GetRunResult().GeneratedTrees.Length;

    /// <summary>
    /// The warm driver re-runs after one line of the file changed (<see cref="EditedLine"/> to
    /// <see cref="EditedTo"/>); each call flips between the two versions, so every call is a real edit.
    /// </summary>
    [Benchmark]
    public int EditOneLine()
    {
        showEdited = !showEdited;
        warm = warm.ReplaceAdditionalText(showEdited ? original : edited, showEdited ? edited : original).RunGenerators(compilation);
        return warm.GetRunResult().GeneratedTrees.Length;
    }

    /// <summary>The file as one declaration, as the GNU as oracle assembles it, and its object.</summary>
    internal static (ParsedDeclaration Parsed, DeclarationObject Object) AssembleCore(string text)
    {
        var assembly = GasAssembler.AssembleFile(text, Strategy);
        return (assembly.Parsed, assembly.Object);
    }

    /// <summary>
    /// The symbols the object's fixups name that it does not define, each placed where such a symbol
    /// lives: the target of a call or jump (the instruction whose field it is) in text; anything else
    /// (per-CPU variables, tables, data read RIP-relative) in data.
    /// </summary>
    private static List<(string Name, string Section)> UndefinedSymbols(DeclarationObject o)
    {
        var defined = new HashSet<string>(o.Symbols.Select(s => s.Name), StringComparer.Ordinal);
        var code = new HashSet<string>(StringComparer.Ordinal);
        var data = new HashSet<string>(StringComparer.Ordinal);
        foreach (var f in o.Fixups)
        {
            if (defined.Contains(f.Symbol))
            {
                continue;
            }

            var line = o.Fragments[f.Fragment].Lines.Items.LastOrDefault(l => l.Offset <= f.Offset);
            string mnemonic = line?.Text.TrimStart().Split(' ', '\t')[0] ?? string.Empty;
            bool branch = f.PcRelative && (mnemonic.StartsWith("call", StringComparison.Ordinal) || mnemonic.StartsWith('j'));
            (branch ? code : data).Add(f.Symbol);
        }

        data.ExceptWith(code);
        return [.. code.Order(StringComparer.Ordinal).Select(n => (n, ".data.externs")).Concat(data.Order(StringComparer.Ordinal).Select(n => (n, ".data")))];
    }

    /// <summary>The model: the file as one [GasFile] declaration (an AdditionalFiles item), and one defining what it references.</summary>
    public static string ModelSource(IReadOnlyList<(string Name, string Section)> externs)
    {
        var definitions = new StringBuilder();
        foreach (var group in externs.GroupBy(e => e.Section))
        {
            definitions.Append(CultureInfo.InvariantCulture, $".pushsection {group.Key}\n");
            foreach (var (name, section) in group)
            {
                // Data, even for call targets: not kernel text, so calls and jumps to them leave the
                // object, as objtool sees calls to functions of other objects.
                definitions.Append(CultureInfo.InvariantCulture, $"{name}: .quad 0\n");
            }

            definitions.Append(".popsection\n");
        }

        var source = new StringBuilder();
        source.AppendLine("using EntryModel;");
        source.AppendLine("namespace Bench;");
        source.AppendLine("[KernelModel]");
        source.AppendLine("[FrameStrategy(\"orc\", \"CONFIG_UNWINDER_ORC\")]");
        source.AppendLine("public static partial class Entry64");
        source.AppendLine("{");
        source.AppendLine("    [GasCode(\"entry_64\"), GasFile(\"entry_64.s\")]");
        source.AppendLine("    public const string File = \"\";");
        source.AppendLine("    [GasCode(\"entry_64_externs\")]");
        source.AppendLine("    public const string Externs = " + RawLiteral(definitions.ToString()) + ";");
        source.AppendLine("}");
        return source.ToString();
    }

    /// <summary>A C# raw string literal holding exactly <paramref name="s"/>: delimiters longer than any run of quotes in it, the closing one at column 0.</summary>
    private static string RawLiteral(string s)
    {
        int longest = 0, run = 0;
        foreach (char c in s)
        {
            run = c == '"' ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }

        string quotes = new('"', Math.Max(3, longest + 1));
        return quotes + "\n" + s + (s.EndsWith('\n') ? string.Empty : "\n") + quotes;
    }

    private static void Check(GeneratorDriver driver, List<Diagnostic> errors, string line)
    {
        var images = errors.Count == 0 ? GeneratorHarness.Images(driver) : [];
        if (errors.Count > 0 || images.Count != 1 || !images[0].Symbols.TryGet("entry_SYSCALL_64", out _) || !images[0].Lines.Any(l => l.Text == line))
        {
            throw new InvalidOperationException($"the kernel file's model does not generate cleanly ({errors.Count} errors, {images.Count} images): {string.Join("; ", errors.Take(5))}");
        }

        // The whole job is measured: validation finds what objtool finds (nothing) and writes the ORC tables.
        if (images[0].Orc is not { } orc || orc.Count < 1000 || images[0].Validation.Count > 0)
        {
            throw new InvalidOperationException($"the kernel file's image must carry its ORC rows and no validation finding ({images[0].Orc?.Count ?? 0} rows, {images[0].Validation.Count} findings: {string.Join("; ", images[0].Validation.Take(3).Select(f => f.Message))})");
        }
    }

    private static int Count(string s, string what)
    {
        int n = 0;
        for (int i = s.IndexOf(what, StringComparison.Ordinal); i >= 0; i = s.IndexOf(what, i + what.Length, StringComparison.Ordinal))
        {
            n++;
        }

        return n;
    }

    private static int Run(string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi)!;
        process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode;
    }
}
