using EntryModel.Generators.Pipeline;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace EntryModel.Generators.Tests.Generator;

/// <summary>
/// Proves the pipeline's caching with TrackIncrementalGeneratorSteps: an edit re-runs only what
/// depends on it, and an unrelated edit re-runs nothing after the (cheap) extraction.
/// </summary>
public sealed class IncrementalPipelineTests
{
    private const string Model = """
        using EntryModel;
        namespace Demo;
        [KernelModel, FrameStrategy("none"), FrameStrategy("pt-regs-frame", "CONFIG_PT_REGS")]
        public static partial class Kernel
        {
            [GasMacros] public const string Macros = ".macro SAVE\npushq %rbp\n.endm";
            [GasCode("first")] public const string First = "SAVE\nret";
            [GasCode("second")] public const string Second = "nop\nret";
            [GasCode("third")] public const string Third = "int3";
        }
        """;

    private static readonly string[] DownstreamOfExtraction =
    [
        StepNames.Models, StepNames.Declarations, StepNames.SplitDeclaration, StepNames.GroupDeclarations, StepNames.SourceProblems,
        StepNames.ObjectJobs, StepNames.AssembleObject, StepNames.Strategies, StepNames.Assemble, StepNames.PlanValidation, StepNames.Validate, StepNames.GroupStrategies, StepNames.Emit,
    ];

    [Test]
    public void Editing_one_declaration_splits_and_assembles_only_it_and_relinks_every_strategy()
    {
        var core = new CountingCore();
        var (driver, compilation) = FirstRun(core);

        driver = Edit(driver, compilation, Model.Replace("\"nop\\nret\"", "\"nop\\nnop\\nret\"", StringComparison.Ordinal));
        var steps = driver.GetRunResult().Results.Single();

        Assert.Multiple(() =>
        {
            Assert.That(core.Split, Is.EqualTo(new[] { "second" }));
            Assert.That(core.Objects, Is.EquivalentTo(new[] { "second@none", "second@pt-regs-frame" }));
            Assert.That(Reasons(steps, StepNames.AssembleObject).Count(r => r == IncrementalStepRunReason.Cached), Is.EqualTo(Reasons(steps, StepNames.AssembleObject).Length - 2));
            Assert.That(core.Assembled, Is.EquivalentTo(new[] { "none", "pt-regs-frame" }));

            // The edit found no new problem: the model's splitter findings compare equal.
            Assert.That(Reasons(steps, StepNames.SourceProblems), Is.EqualTo(new[] { IncrementalStepRunReason.Unchanged }));
            Assert.That(Reasons(steps, StepNames.SplitDeclaration), Is.EqualTo(new[]
            {
                IncrementalStepRunReason.Cached, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Modified, IncrementalStepRunReason.Cached,
            }));

            // Every strategy ran again (the stand-in's image does not depend on the text, so the
            // output may compare equal: Unchanged); the emitter ran again too.
            Assert.That(Reasons(steps, StepNames.Assemble), Is.All.AnyOf(IncrementalStepRunReason.Modified, IncrementalStepRunReason.Unchanged));
            Assert.That(Reasons(steps, StepNames.Emit), Is.All.Not.EqualTo(IncrementalStepRunReason.Cached));
        });
    }

    [Test]
    public void Growing_an_earlier_declaration_does_not_resplit_the_later_ones_it_moves()
    {
        var core = new CountingCore();
        var (driver, compilation) = FirstRun(core);

        // First's text grows by a line: Second and Third move in the file but their text is the same.
        driver = Edit(driver, compilation, Model.Replace("\"SAVE\\nret\"", "\"SAVE\\nSAVE\\nret\"", StringComparison.Ordinal));
        var steps = driver.GetRunResult().Results.Single();

        Assert.That(core.Split, Is.EqualTo(new[] { "first" }));
        Assert.That(Reasons(steps, StepNames.SplitDeclaration).Count(r => r == IncrementalStepRunReason.Cached), Is.EqualTo(3));
    }

    [Test]
    public void Moving_the_model_in_its_file_reruns_no_split_or_assembly_only_the_emitter()
    {
        var core = new CountingCore();
        var (driver, compilation) = FirstRun(core);

        driver = Edit(driver, compilation, "// a comment that moves every line down\n" + Model);
        var steps = driver.GetRunResult().Results.Single();

        Assert.Multiple(() =>
        {
            Assert.That(core.Split, Is.Empty);
            Assert.That(core.Objects, Is.Empty);
            Assert.That(core.Assembled, Is.Empty);
            Assert.That(Reasons(steps, StepNames.SplitDeclaration), Is.All.EqualTo(IncrementalStepRunReason.Cached));
            Assert.That(Reasons(steps, StepNames.GroupDeclarations), Is.EqualTo(new[] { IncrementalStepRunReason.Unchanged }));
            Assert.That(Reasons(steps, StepNames.Assemble), Is.All.EqualTo(IncrementalStepRunReason.Cached));

            // The line map holds file lines, so the emitter must run again.
            Assert.That(Reasons(steps, StepNames.GroupStrategies), Is.EqualTo(new[] { IncrementalStepRunReason.Modified }));
        });
    }

    [Test]
    public void Editing_unrelated_code_reruns_nothing_after_extraction()
    {
        var core = new CountingCore();
        var (driver, compilation) = FirstRun(core);

        var other = CSharpSyntaxTree.ParseText("namespace Demo; public static class Unrelated { public static int Answer => 42; }", GeneratorHarness.ParseOptions, "/src/Unrelated.cs");
        driver = driver.RunGenerators(compilation.AddSyntaxTrees(other));
        var steps = driver.GetRunResult().Results.Single();

        Assert.Multiple(() =>
        {
            Assert.That(core.Split, Is.Empty);
            Assert.That(core.Objects, Is.Empty);
            Assert.That(core.Assembled, Is.Empty);
            Assert.That(Reasons(steps, StepNames.ExtractModel), Is.All.AnyOf(IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged));
            foreach (string step in DownstreamOfExtraction)
            {
                Assert.That(Reasons(steps, step), Is.All.EqualTo(IncrementalStepRunReason.Cached), step);
            }
        });
    }

    [Test]
    public void Editing_a_method_below_the_model_in_the_same_file_reruns_nothing_after_extraction()
    {
        var core = new CountingCore();
        var (driver, compilation) = FirstRun(core);

        driver = Edit(driver, compilation, Model + "\nnamespace Demo { public static class Helper { public static int Two => 2; } }\n");
        var steps = driver.GetRunResult().Results.Single();

        Assert.That(Reasons(steps, StepNames.ExtractModel), Is.All.EqualTo(IncrementalStepRunReason.Unchanged));
        foreach (string step in DownstreamOfExtraction)
        {
            Assert.That(Reasons(steps, step), Is.All.EqualTo(IncrementalStepRunReason.Cached), step);
        }
    }

    [Test]
    public void Pipeline_models_hold_no_syntax_nodes_or_symbols()
    {
        var core = new CountingCore();
        var (driver, _) = FirstRun(core);
        var steps = driver.GetRunResult().Results.Single().TrackedSteps;

        foreach (var (name, runs) in steps.Where(s => typeof(StepNames).GetField(s.Key) is not null))
        {
            foreach (var output in runs.SelectMany(r => r.Outputs))
            {
                AssertNoRoslynObjects(output.Value, name, 0);
            }
        }
    }

    private static void AssertNoRoslynObjects(object? value, string step, int depth)
    {
        if (value is null || depth > 6 || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum)
        {
            return;
        }

        Assert.That(value, Is.Not.InstanceOf<SyntaxNode>().And.Not.InstanceOf<ISymbol>().And.Not.InstanceOf<Compilation>().And.Not.InstanceOf<SemanticModel>().And.Not.InstanceOf<Location>(), step);
        if (value is System.Collections.IEnumerable items)
        {
            foreach (object? item in items.Cast<object?>().Take(4))
            {
                AssertNoRoslynObjects(item, step, depth + 1);
            }

            return;
        }

        foreach (var property in value.GetType().GetProperties().Where(p => p.GetIndexParameters().Length == 0))
        {
            if (property.DeclaringType?.Namespace?.StartsWith("EntryModel", StringComparison.Ordinal) == true || property.DeclaringType?.IsGenericType == true)
            {
                AssertNoRoslynObjects(property.GetValue(value), step, depth + 1);
            }
        }
    }

    private static (GeneratorDriver Driver, CSharpCompilation Compilation) FirstRun(CountingCore core)
    {
        var compilation = GeneratorHarness.Compile(Model);
        var driver = GeneratorHarness.Driver(core.Generator()).RunGenerators(compilation);
        Assert.That(driver.GetRunResult().Diagnostics, Is.Empty);
        Assert.That(core.Split, Is.EquivalentTo(new[] { "Macros", "first", "second", "third" }));
        Assert.That(core.Assembled, Is.EquivalentTo(new[] { "none", "pt-regs-frame" }));
        core.Clear();
        return (driver, compilation);
    }

    private static GeneratorDriver Edit(GeneratorDriver driver, CSharpCompilation compilation, string newModel)
    {
        var old = compilation.SyntaxTrees.Single(t => t.FilePath == GeneratorHarness.ModelPath);
        var edited = CSharpSyntaxTree.ParseText(newModel, GeneratorHarness.ParseOptions, GeneratorHarness.ModelPath);
        return driver.RunGenerators(compilation.ReplaceSyntaxTree(old, edited));
    }

    private static IncrementalStepRunReason[] Reasons(GeneratorRunResult result, string step)
    {
        Assert.That(result.TrackedSteps.ContainsKey(step), Is.True, $"step {step} was not tracked");
        return [.. result.TrackedSteps[step].SelectMany(r => r.Outputs).Select(o => o.Reason)];
    }
}
