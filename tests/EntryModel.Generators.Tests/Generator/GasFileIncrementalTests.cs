using EntryModel.Generators.Pipeline;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace EntryModel.Generators.Tests.Generator;

/// <summary>
/// <c>[GasFile]</c> keeps the pipeline incremental: editing the file re-splits and re-assembles only
/// its declaration, and edits elsewhere (C# or an unrelated additional file) never read it again.
/// </summary>
public sealed class GasFileIncrementalTests
{
    private const string EntryPath = "/proj/entry_64.s";
    private const string NotesPath = "/proj/notes.txt";

    private const string Model = """
        using EntryModel;
        namespace Demo;
        [KernelModel, FrameStrategy("none"), FrameStrategy("pt-regs-frame", "CONFIG_PT_REGS")]
        public static partial class Kernel
        {
            [GasMacros] public const string Macros = ".macro SAVE\npushq %rbp\n.endm";
            [GasCode("first")] public const string First = "SAVE\nret";
            [GasCode("entry_64"), GasFile("entry_64.s")] public const string Entry64 = "";
            [GasCode("third")] public const string Third = "int3";
        }
        """;

    [Test]
    public void Editing_the_file_resplits_and_reassembles_only_its_declaration()
    {
        var core = new CountingCore();
        var (driver, compilation, entry, _) = FirstRun(core);

        driver = driver.ReplaceAdditionalText(entry, new InMemoryAdditionalText(EntryPath, "SAVE\nnop\nret\n")).RunGenerators(compilation);
        var steps = driver.GetRunResult().Results.Single();

        Assert.Multiple(() =>
        {
            Assert.That(core.Split, Is.EqualTo(new[] { "entry_64" }));
            Assert.That(core.Objects, Is.EquivalentTo(new[] { "entry_64@none", "entry_64@pt-regs-frame" }));
            Assert.That(core.Assembled, Is.EquivalentTo(new[] { "none", "pt-regs-frame" }));
            Assert.That(Reasons(steps, StepNames.ExtractModel), Is.All.EqualTo(IncrementalStepRunReason.Cached));
            Assert.That(Reasons(steps, StepNames.ReadGasFile).Count(r => r != IncrementalStepRunReason.Cached), Is.EqualTo(1));
            Assert.That(Reasons(steps, StepNames.SplitDeclaration), Is.EqualTo(new[]
            {
                IncrementalStepRunReason.Cached, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Modified, IncrementalStepRunReason.Cached,
            }));
            Assert.That(Reasons(steps, StepNames.AssembleObject).Count(r => r != IncrementalStepRunReason.Cached), Is.EqualTo(2));
        });
    }

    [Test]
    public void Editing_another_declaration_does_not_read_the_file_again()
    {
        var core = new CountingCore();
        var (driver, compilation, _, _) = FirstRun(core);

        var old = compilation.SyntaxTrees.Single(t => t.FilePath == GeneratorHarness.ModelPath);
        var edited = CSharpSyntaxTree.ParseText(Model.Replace("\"int3\"", "\"int3\\nint3\"", StringComparison.Ordinal), GeneratorHarness.ParseOptions, GeneratorHarness.ModelPath);
        driver = driver.RunGenerators(compilation.ReplaceSyntaxTree(old, edited));
        var steps = driver.GetRunResult().Results.Single();

        Assert.Multiple(() =>
        {
            Assert.That(core.Split, Is.EqualTo(new[] { "third" }));
            Assert.That(Reasons(steps, StepNames.GasFileReferences), Is.All.AnyOf(IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged));
            Assert.That(Reasons(steps, StepNames.ReadGasFile), Is.All.EqualTo(IncrementalStepRunReason.Cached));
            Assert.That(Reasons(steps, StepNames.GasFiles), Is.All.EqualTo(IncrementalStepRunReason.Cached));
        });
    }

    [Test]
    public void Editing_an_additional_file_no_declaration_names_resplits_nothing()
    {
        var core = new CountingCore();
        var (driver, compilation, _, notes) = FirstRun(core);

        driver = driver.ReplaceAdditionalText(notes, new InMemoryAdditionalText(NotesPath, "other notes")).RunGenerators(compilation);
        var steps = driver.GetRunResult().Results.Single();

        Assert.Multiple(() =>
        {
            Assert.That(core.Split, Is.Empty);
            Assert.That(core.Objects, Is.Empty);
            Assert.That(core.Assembled, Is.Empty);
            Assert.That(Reasons(steps, StepNames.GasFiles), Is.All.EqualTo(IncrementalStepRunReason.Cached));
            Assert.That(Reasons(steps, StepNames.SplitDeclaration), Is.All.EqualTo(IncrementalStepRunReason.Cached));
        });
    }

    private static (GeneratorDriver Driver, CSharpCompilation Compilation, AdditionalText Entry, AdditionalText Notes) FirstRun(CountingCore core)
    {
        var entry = new InMemoryAdditionalText(EntryPath, "# 1 \"entry_64.S\"\nSAVE\nret\n");
        var notes = new InMemoryAdditionalText(NotesPath, "notes");
        var compilation = GeneratorHarness.Compile(Model);
        var driver = GeneratorHarness.Driver(core.Generator(), additionalTexts: [entry, notes]).RunGenerators(compilation);
        Assert.That(driver.GetRunResult().Diagnostics, Is.Empty);
        Assert.That(core.Split, Is.EquivalentTo(new[] { "Macros", "first", "entry_64", "third" }));
        core.Clear();
        return (driver, compilation, entry, notes);
    }

    private static IncrementalStepRunReason[] Reasons(GeneratorRunResult result, string step)
    {
        Assert.That(result.TrackedSteps.ContainsKey(step), Is.True, $"step {step} was not tracked");
        return [.. result.TrackedSteps[step].SelectMany(r => r.Outputs).Select(o => o.Reason)];
    }
}
