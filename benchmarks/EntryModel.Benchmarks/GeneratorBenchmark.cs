using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace EntryModel.Benchmarks;

/// <summary>
/// How long does the generator take for a large model, from scratch and after editing one stub?
/// The model: shared macros (nested, with a parameter and a conditional) and 1,000 entry stubs that
/// call them, under three frame strategies. Targets: full generation under 2 s, an edit under 100 ms.
/// </summary>
[MemoryDiagnoser]
public class GeneratorBenchmark
{
    private const int StubCount = 1000;
    private const int EditedStub = StubCount / 2;
    private const string ModelPath = "/bench/Kernel.cs";

    // Nested macros with a parameter and conditionals, as entry code uses them.
    private const string Macros = """
        .macro SAVE_FRAME
        .ifdef CONFIG_FRAME_POINTER
        pushq %rbp
        movq %rsp, %rbp
        .endif
        .endm
        .macro RESTORE_FRAME
        .ifdef CONFIG_FRAME_POINTER
        popq %rbp
        .endif
        .endm
        .macro CALL_HANDLER handler
        SAVE_FRAME
        .ifdef CONFIG_PT_REGS_FRAME
        pushq %rsp
        .endif
        call \handler
        .ifdef CONFIG_PT_REGS_FRAME
        addq $8, %rsp
        .endif
        RESTORE_FRAME
        .endm
        """;

    private CSharpCompilation compilation = null!;
    private CSharpCompilation edited = null!;
    private GeneratorDriver warm = null!;
    private bool showEdited;

    [GlobalSetup]
    public void Setup()
    {
        compilation = GeneratorHarness.Compile(ModelSource(edit: false), ModelPath);
        edited = GeneratorHarness.WithSource(compilation, ModelSource(edit: true), ModelPath);

        // A benchmark of the error path would measure the wrong thing: the model must compile and
        // generate cleanly, and every stub must have assembled to code.
        warm = GeneratorHarness.Run(NewDriver(), compilation, out var errors);
        var images = GeneratorHarness.Images(warm);
        if (errors.Count > 0 || images.Count != 3 || images.Any(i => !i.Symbols.TryGet("stub_999", out _) || !i.Lines.Any(l => l.Text == "testq %rax, %rax")))
        {
            throw new InvalidOperationException("benchmark model does not generate cleanly: " + string.Join("; ", errors.Take(5)));
        }
    }

    /// <summary>Everything from source text to generated C#, with a fresh driver (no cache).</summary>
    [Benchmark]
    public int FullGeneration() => NewDriver().RunGenerators(compilation).GetRunResult().GeneratedTrees.Length;

    /// <summary>
    /// The driver re-runs after the model file was replaced by one where a single stub's text
    /// changed; each call flips between the two versions, so every call is a real one-stub edit.
    /// </summary>
    [Benchmark]
    public int EditOneStub()
    {
        showEdited = !showEdited;
        warm = warm.RunGenerators(showEdited ? edited : compilation);
        return warm.GetRunResult().GeneratedTrees.Length;
    }

    private static CSharpGeneratorDriver NewDriver() => GeneratorHarness.NewDriver();

    private static string ModelSource(bool edit)
    {
        var source = new StringBuilder();
        source.AppendLine("using EntryModel;");
        source.AppendLine("namespace Bench;");
        source.AppendLine("[KernelModel]");
        source.AppendLine("[FrameStrategy(\"none\")]");
        source.AppendLine("[FrameStrategy(\"pt-regs-frame\", \"CONFIG_FRAME_POINTER\", \"CONFIG_PT_REGS_FRAME\")]");
        source.AppendLine("[FrameStrategy(\"frame-pointer\", \"CONFIG_FRAME_POINTER\")]");
        source.AppendLine("public static partial class Kernel");
        source.AppendLine("{");
        source.AppendLine("    [GasMacros]");
        source.AppendLine("    public const string Macros = @\"" + Macros + "\";");
        for (int h = 0; h < 10; h++)
        {
            source.AppendLine(CultureInfo.InvariantCulture, $"    [GasCode(\"handler_{h}\")] public const string Handler{h} = \"movq %rdi, %rax\\nret\";");
        }

        for (int i = 0; i < StubCount; i++)
        {
            string extra = edit && i == EditedStub ? "    nop\n" : string.Empty;
            source.AppendLine(CultureInfo.InvariantCulture, $"    [GasCode(\"stub_{i}\", Kind = SymbolKind.Entry, Section = \".entry.text\")]");
            source.AppendLine(CultureInfo.InvariantCulture, $"    public const string Stub{i} = \"\"\"");
            source.AppendLine(CultureInfo.InvariantCulture, $"        movq ${i}, %rdi");
            source.AppendLine(CultureInfo.InvariantCulture, $"        CALL_HANDLER handler_{i % 10}");
            source.Append(extra.Length > 0 ? "    " + extra : string.Empty);
            source.AppendLine("        testq %rax, %rax");
            source.AppendLine("        jz 1f");
            source.AppendLine("        incq %rax");
            source.AppendLine("        1: ret");
            source.AppendLine("        \"\"\";");
        }

        source.AppendLine("}");
        return source.ToString();
    }
}
