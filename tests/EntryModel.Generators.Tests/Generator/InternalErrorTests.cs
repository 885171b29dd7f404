using EntryModel.Generators.Diagnostics;
using EntryModel.Generators.Model;
using EntryModel.Generators.Syntax;
using EntryModel.Generators.Tests.Extraction;

namespace EntryModel.Generators.Tests.Generator;

/// <summary>The generator never throws: a crash in any stage becomes EM0099 at the model class.</summary>
public sealed class InternalErrorTests
{
    private const string Model = """
        using EntryModel;
        [KernelModel, FrameStrategy("none"), FrameStrategy("orc")]
        public static partial class Kernel
        {
            [GasCode("f")] public const string F = "ret";
        }
        """;

    [Test]
    public void Splitter_crash_becomes_EM0099_at_the_model_class_and_no_image()
    {
        var generator = GeneratorHarness.With(split: _ => throw new InvalidOperationException("splitter exploded"));
        var outcome = GeneratorHarness.Run(generator, Model);

        AssertInternalError(outcome, "splitter exploded", 1);
        AssertNoImageIsUsable(outcome);
    }

    [Test]
    public void Assembler_crash_becomes_EM0099_at_the_model_class_and_no_image()
    {
        var generator = GeneratorHarness.With(ModelSourceCapture.Unsplit, (_, _, _) => throw new ArgumentOutOfRangeException("model", "assembler exploded"));
        var outcome = GeneratorHarness.Run(generator, Model);

        // Each strategy's assembly fails on its own, so each is reported, naming the strategy.
        AssertInternalError(outcome, "assembler exploded", 2);
        Assert.That(outcome.WithId(DiagnosticIds.InternalError).Select(d => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)), Has.One.Contains("'orc'"));
        AssertNoImageIsUsable(outcome);
    }

    [Test]
    public void Crash_assembling_one_declaration_becomes_EM0099_naming_the_strategy()
    {
        var generator = GeneratorHarness.WithObjects(input => input.Target >= 0 ? throw new InvalidOperationException("object exploded") : EntryModel.Generators.Encoding.GasAssembler.AssembleObject(input));
        var outcome = GeneratorHarness.Run(generator, Model);

        AssertInternalError(outcome, "object exploded", 2);
        AssertNoImageIsUsable(outcome);
    }

    [Test]
    public void Assembler_result_that_breaks_the_emitter_becomes_EM0099()
    {
        var capture = new ModelSourceCapture();
        AssemblyResult Broken(ModelSource m, EquatableArray<ParsedDeclaration> p, StrategySource s) =>
            capture.Assemble(m, p, s) with { Lines = new EquatableArray<AssembledLine>([null!]) };
        var outcome = GeneratorHarness.Run(GeneratorHarness.With(ModelSourceCapture.Unsplit, Broken), Model);

        AssertInternalError(outcome, "emitting", 1);
        Assert.That(outcome.Result.GeneratedSources, Is.Empty);
    }

    [Test]
    public void Assembler_result_that_breaks_validation_becomes_EM0099_and_no_image()
    {
        var capture = new ModelSourceCapture();
        AssemblyResult Broken(ModelSource m, EquatableArray<ParsedDeclaration> p, StrategySource s) =>
            capture.Assemble(m, p, s) with { Chunks = new EquatableArray<AssembledChunk>([null!]) };
        var outcome = GeneratorHarness.Run(GeneratorHarness.With(ModelSourceCapture.Unsplit, Broken), Model);

        AssertInternalError(outcome, "planning the validation", 2);
        AssertNoImageIsUsable(outcome);
    }

    [Test]
    public void Diagnostic_pointing_at_an_unknown_declaration_falls_back_to_the_model_class()
    {
        var capture = new ModelSourceCapture();
        AssemblyResult Stray(ModelSource m, EquatableArray<ParsedDeclaration> p, StrategySource s) =>
            capture.Assemble(m, p, s) with { Diagnostics = new EquatableArray<AsmDiagnostic>([new AsmDiagnostic(DiagnosticIds.LayoutError, "nowhere", 99, -5, 1000)]) };
        var outcome = GeneratorHarness.Run(GeneratorHarness.With(ModelSourceCapture.Unsplit, Stray), Model);

        var diagnostic = outcome.WithId(DiagnosticIds.LayoutError).Single();
        Assert.That(ModelExtractorTests.SpanText(Model, diagnostic), Is.EqualTo("Kernel"));
    }

    private static void AssertInternalError(GeneratorOutcome outcome, string message, int count)
    {
        Assert.That(outcome.Result.Exception, Is.Null, "no exception escapes the generator");
        var errors = outcome.WithId(DiagnosticIds.InternalError).ToArray();
        Assert.That(errors, Has.Length.EqualTo(count), "one report per distinct failure");
        foreach (var error in errors)
        {
            Assert.That(error.GetMessage(System.Globalization.CultureInfo.InvariantCulture), Does.Contain(message));
            Assert.That(ModelExtractorTests.SpanText(Model, error), Is.EqualTo("Kernel"));
        }
    }

    private static void AssertNoImageIsUsable(GeneratorOutcome outcome)
    {
        string source = outcome.GeneratedSource;
        Assert.That(source, Does.Contain("public static global::EntryModel.KernelImage None => throw new global::System.InvalidOperationException("));
        Assert.That(source, Does.Contain("public static global::EntryModel.KernelImage Orc => throw new global::System.InvalidOperationException("));
        Assert.That(outcome.CompileDiagnostics, Is.Empty, "the generated code itself still compiles");
    }
}
