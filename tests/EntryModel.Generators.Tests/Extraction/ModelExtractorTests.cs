using EntryModel.Generators.Diagnostics;
using EntryModel.Generators.Tests.Generator;
using Microsoft.CodeAnalysis;

namespace EntryModel.Generators.Tests.Extraction;

/// <summary>Attribute-level rules checked while a model class is read, with the span each diagnostic points at.</summary>
public sealed class ModelExtractorTests
{
    [Test]
    public void Class_that_is_not_static_partial_is_reported_at_its_name_and_gets_no_images()
    {
        const string Source = """
            using EntryModel;
            [KernelModel, FrameStrategy("none")]
            public partial class Kernel
            {
                [GasCode("f")] public const string F = "ret";
            }
            """;
        var outcome = GeneratorHarness.Run(Source);
        AssertSingleAt(outcome, Source, DiagnosticIds.ModelNotStaticPartial, "Kernel");
        Assert.That(outcome.Result.GeneratedSources, Is.Empty);
    }

    [Test]
    public void Nested_model_class_is_reported()
    {
        const string Source = """
            using EntryModel;
            public static partial class Outer
            {
                [KernelModel, FrameStrategy("none")]
                public static partial class Inner { }
            }
            """;
        AssertSingleAt(GeneratorHarness.Run(Source), Source, DiagnosticIds.UnsupportedModelShape, "Inner");
    }

    [Test]
    public void Declaration_field_that_is_not_const_string_is_reported_at_the_field()
    {
        const string Source = """
            using EntryModel;
            [KernelModel, FrameStrategy("none")]
            public static partial class Kernel
            {
                [GasCode("f")] public static readonly string NotConst = "ret";
                [GasCode("g")] public const int Number = 3;
            }
            """;
        var outcome = GeneratorHarness.Run(Source);
        var spans = outcome.WithId(DiagnosticIds.DeclarationNotConstString).Select(d => SpanText(Source, d)).ToArray();
        Assert.That(spans, Is.EquivalentTo(new[] { "NotConst", "Number" }));
    }

    [Test]
    public void Model_without_frame_strategy_is_reported()
    {
        const string Source = """
            using EntryModel;
            [KernelModel]
            public static partial class Kernel { }
            """;
        AssertSingleAt(GeneratorHarness.Run(Source), Source, DiagnosticIds.NoFrameStrategy, "Kernel");
    }

    [Test]
    public void Duplicate_strategy_is_reported_at_the_second_attribute()
    {
        const string Source = """
            using EntryModel;
            [KernelModel]
            [FrameStrategy("none")]
            [FrameStrategy("none", "CONFIG_X")]
            public static partial class Kernel { }
            """;
        AssertSingleAt(GeneratorHarness.Run(Source), Source, DiagnosticIds.DuplicateStrategy, "FrameStrategy(\"none\", \"CONFIG_X\")");
    }

    [TestCase("pt-regs-frame", "pt_regs_frame")]
    [TestCase("none", "Images")]
    [TestCase("none", "---")]
    public void Strategy_names_that_give_no_usable_property_are_reported(string first, string second)
    {
        string source = $$"""
            using EntryModel;
            [KernelModel]
            [FrameStrategy("{{first}}")]
            [FrameStrategy("{{second}}")]
            public static partial class Kernel { }
            """;
        AssertSingleAt(GeneratorHarness.Run(source), source, DiagnosticIds.StrategyNameConflict, $"FrameStrategy(\"{second}\")");
    }

    [Test]
    public void Strategy_property_that_collides_with_a_member_is_reported()
    {
        const string Source = """
            using EntryModel;
            [KernelModel, FrameStrategy("none")]
            public static partial class Kernel
            {
                public static int None => 0;
            }
            """;
        AssertSingleAt(GeneratorHarness.Run(Source), Source, DiagnosticIds.StrategyNameConflict, "FrameStrategy(\"none\")");
    }

    [Test]
    public void Field_with_two_declaration_attributes_is_reported_at_the_second()
    {
        const string Source = """
            using EntryModel;
            [KernelModel, FrameStrategy("none")]
            public static partial class Kernel
            {
                [GasMacros, GasCode("f")] public const string F = "ret";
            }
            """;
        AssertSingleAt(GeneratorHarness.Run(Source), Source, DiagnosticIds.ConflictingDeclarationAttributes, "GasCode(\"f\")");
    }

    [TestCase("[IdtEntry(\"x\", 256)]")]
    [TestCase("[IdtEntry(\"x\", 3, Ist = 8)]")]
    [TestCase("[IdtEntry(\"x\", 3, Dpl = 4)]")]
    [TestCase("[GasCode(\"x\", Align = 3)]")]
    [TestCase("[GasCode(\"x\", Size = -1)]")]
    [TestCase("[GasCode(\"\")]")]
    [TestCase("[GasCode(\"x\", Section = \"\")]")]
    public void Out_of_range_attribute_values_are_reported_at_the_attribute(string attribute)
    {
        string source = $$"""
            using EntryModel;
            [KernelModel, FrameStrategy("none")]
            public static partial class Kernel
            {
                {{attribute}} public const string F = "ret";
            }
            """;
        AssertSingleAt(GeneratorHarness.Run(source), source, DiagnosticIds.InvalidAttributeValue, attribute.Substring(1, attribute.Length - 2));
    }

    [Test]
    public void Second_syscall_entry_and_repeated_vector_are_reported()
    {
        const string Source = """
            using EntryModel;
            [KernelModel, FrameStrategy("none")]
            public static partial class Kernel
            {
                [SyscallEntry("a")] public const string A = "sysretq";
                [SyscallEntry("b")] public const string B = "sysretq";
                [IdtEntry("de", 0)] public const string De = "iretq";
                [IdtEntry("de2", 0)] public const string De2 = "iretq";
            }
            """;
        var spans = GeneratorHarness.Run(Source).WithId(DiagnosticIds.InvalidAttributeValue).Select(d => SpanText(Source, d));
        Assert.That(spans, Is.EquivalentTo(new[] { "B", "De2" }));
    }

    [Test]
    public void Duplicate_section_is_reported()
    {
        const string Source = """
            using EntryModel;
            [KernelModel, FrameStrategy("none")]
            [Section(".text", 0xffffffff81000000, SectionPermissions.Executable)]
            [Section(".text", 0xffffffff82000000, SectionPermissions.Executable)]
            public static partial class Kernel { }
            """;
        AssertSingleAt(GeneratorHarness.Run(Source), Source, DiagnosticIds.DuplicateSection, "Section(\".text\", 0xffffffff82000000, SectionPermissions.Executable)");
    }

    [Test]
    public void Declarations_are_read_in_field_order_with_attribute_values_and_defaults()
    {
        const string Source = """
            using EntryModel;
            namespace Demo;
            [KernelModel, FrameStrategy("pt-regs-frame", "CONFIG_FRAME_POINTER", "OFF=8", Description = "fake frame")]
            [Section(".entry.text", 0xffffffff81880000, SectionPermissions.Executable)]
            public static partial class Kernel
            {
                [GasMacros] public const string Macros = ".macro M\n.endm";
                [GasCode("f", Kind = SymbolKind.Marker, Address = 0xffffffff81887860, Size = 16, Align = 32, Section = ".x")] public const string F = "nop";
                [IdtEntry("page_fault", 14, ErrorCode = true, Handler = "do_page_fault", Ist = 2, Interrupt = false, Dpl = 3)] public const string Pf = "iretq";
                [SyscallEntry("entry_SYSCALL_64")] public const string Sys = "sysretq";
                public const string NotADeclaration = "x";
            }
            """;
        ModelSourceCapture capture = new();
        var outcome = GeneratorHarness.Run(GeneratorHarness.With(ModelSourceCapture.Unsplit, capture.Assemble), Source);
        Assert.That(outcome.Diagnostics, Is.Empty);
        var model = capture.Model!;
        Assert.Multiple(() =>
        {
            Assert.That(model.Namespace, Is.EqualTo("Demo"));
            Assert.That(model.ClassName, Is.EqualTo("Kernel"));
            Assert.That(model.FilePath, Is.EqualTo(GeneratorHarness.ModelPath));
            Assert.That(model.Strategies.Single().Name, Is.EqualTo("pt-regs-frame"));
            Assert.That(model.Strategies.Single().Description, Is.EqualTo("fake frame"));
            Assert.That(model.Strategies.Single().Defines, Is.EqualTo(new[] { "CONFIG_FRAME_POINTER", "OFF=8" }));
            Assert.That(model.Sections.Single(), Is.EqualTo(new Generators.Model.SectionSource(".entry.text", 0xffffffff81880000, 2)));
            Assert.That(model.Declarations.Select(d => d.Name), Is.EqualTo(new[] { "Macros", "f", "page_fault", "entry_SYSCALL_64" }));
            var f = model.Declarations[1];
            Assert.That((f.SymbolKind, f.Address, f.Size, f.Align, f.Section, f.Text), Is.EqualTo((2, 0xffffffff81887860UL, 16, 32, ".x", "nop")));
            var pf = model.Declarations[2];
            Assert.That((pf.Kind, pf.SymbolKind, pf.Vector, pf.ErrorCode, pf.Handler, pf.Ist, pf.Interrupt, pf.Dpl, pf.Section), Is.EqualTo((Generators.Model.DeclarationKind.IdtEntry, 1, 14, true, "do_page_fault", 2, false, 3, ".entry.text")));
            Assert.That(model.Declarations[3].Kind, Is.EqualTo(Generators.Model.DeclarationKind.SyscallEntry));
            Assert.That(model.Declarations[0].Text, Is.EqualTo(".macro M\n.endm"));
        });
    }

    internal static string SpanText(string source, Diagnostic diagnostic) =>
        source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length);

    private static void AssertSingleAt(GeneratorOutcome outcome, string source, string id, string expectedText)
    {
        var matching = outcome.WithId(id).ToArray();
        Assert.That(matching, Has.Length.EqualTo(1), string.Join("\n", outcome.Diagnostics));
        Assert.That(SpanText(source, matching[0]), Is.EqualTo(expectedText));
        Assert.That(matching[0].Severity, Is.EqualTo(DiagnosticSeverity.Error));
        Assert.That(matching[0].Location.GetLineSpan().Path, Is.EqualTo(GeneratorHarness.ModelPath));
    }
}
