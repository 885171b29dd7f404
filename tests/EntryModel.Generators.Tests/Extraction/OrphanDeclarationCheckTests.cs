using EntryModel.Generators.Diagnostics;
using EntryModel.Generators.Tests.Generator;

namespace EntryModel.Generators.Tests.Extraction;

public sealed class OrphanDeclarationCheckTests
{
    [TestCase("GasMacros")]
    [TestCase("GasCode(\"f\")")]
    [TestCase("IdtEntry(\"de\", 0)")]
    [TestCase("SyscallEntry(\"s\")")]
    public void Declaration_attribute_outside_a_kernel_model_is_reported_at_the_attribute(string attribute)
    {
        string source = $$"""
            using EntryModel;
            public static class NotAModel
            {
                [{{attribute}}] public const string F = "ret";
            }
            """;
        var outcome = GeneratorHarness.Run(source);
        var diagnostic = outcome.WithId(DiagnosticIds.DeclarationOutsideModel).Single();
        Assert.That(ModelExtractorTests.SpanText(source, diagnostic), Is.EqualTo(attribute));
    }

    [Test]
    public void Declaration_inside_a_kernel_model_is_not_an_orphan()
    {
        const string Source = """
            using EntryModel;
            [KernelModel, FrameStrategy("none")]
            public static partial class Kernel
            {
                [GasCode("f")] public const string F = "ret";
            }
            """;
        Assert.That(GeneratorHarness.Run(Source).WithId(DiagnosticIds.DeclarationOutsideModel), Is.Empty);
    }
}
