using System.Globalization;
using EntryModel.Generators.Diagnostics;
using EntryModel.Generators.Tests.Extraction;
using Microsoft.CodeAnalysis;

namespace EntryModel.Generators.Tests.Generator;

/// <summary>
/// Each stage's findings reach the user once: the splitter's once per model however many strategies
/// there are, an object's once (naming the strategies only when not all have it), the shared
/// header's from one object however many declarations use it, and nothing an object reported
/// again from the link.
/// </summary>
public sealed class DiagnosticsReportedOnceTests
{
    private const string Strategies = """[KernelModel, FrameStrategy("none"), FrameStrategy("fp", "CONFIG_FRAME_POINTER"), FrameStrategy("orc", "CONFIG_ORC")]""";

    [Test]
    public void An_error_every_strategy_assembles_is_one_diagnostic_without_strategy_names()
    {
        string source = Model("""[GasCode("f")] public const string F = "nop\nfrob %rax\nret";""");
        var outcome = GeneratorHarness.Run(source);

        var diagnostic = outcome.Diagnostics.Single();
        Assert.Multiple(() =>
        {
            Assert.That(diagnostic.Id, Is.EqualTo(DiagnosticIds.UnknownMnemonic));
            Assert.That(ModelExtractorTests.SpanText(source, diagnostic), Is.EqualTo("frob"));
            Assert.That(Message(diagnostic), Does.Not.Contain("frame strategy"));
            Assert.That(diagnostic.Severity, Is.EqualTo(DiagnosticSeverity.Error));
        });
    }

    [Test]
    public void An_error_of_one_strategy_is_one_diagnostic_naming_it()
    {
        string source = Model("""[GasCode("f")] public const string F = ".ifdef CONFIG_ORC\nfrob %rax\n.endif\nret";""");
        var outcome = GeneratorHarness.Run(source);

        var diagnostic = outcome.Diagnostics.Single();
        Assert.Multiple(() =>
        {
            Assert.That(diagnostic.Id, Is.EqualTo(DiagnosticIds.UnknownMnemonic));
            Assert.That(ModelExtractorTests.SpanText(source, diagnostic), Is.EqualTo("frob"));
            Assert.That(Message(diagnostic), Does.EndWith("(frame strategy orc)"));
        });
    }

    [Test]
    public void A_splitter_error_is_one_diagnostic_whatever_the_number_of_strategies()
    {
        string source = Model("""[GasCode("f")] public const string F = "ret\n/* open";""");
        var outcome = GeneratorHarness.Run(source);

        var diagnostic = outcome.Diagnostics.Single();
        Assert.Multiple(() =>
        {
            Assert.That(diagnostic.Id, Is.EqualTo(DiagnosticIds.SyntaxError));
            Assert.That(Message(diagnostic), Is.EqualTo("unterminated /* comment"));
            Assert.That(ModelExtractorTests.SpanText(source, diagnostic), Is.EqualTo("/*"));
            Assert.That(outcome.GeneratedSource, Does.Contain("Orc => throw new global::System.InvalidOperationException("));
        });
    }

    [Test]
    public void An_error_in_the_shared_macros_is_one_diagnostic_however_many_declarations_use_them()
    {
        string source = Model(
            """[GasMacros] public const string Macros = ".frob 1\n.macro SAVE\npushq %rbp\n.endm";""",
            """[GasCode("a")] public const string A = "SAVE\npopq %rbp\nret";""",
            """[GasCode("b")] public const string B = "SAVE\npopq %rbp\nret";""");
        var outcome = GeneratorHarness.Run(source);

        var diagnostic = outcome.Diagnostics.Single();
        Assert.Multiple(() =>
        {
            Assert.That(diagnostic.Id, Is.EqualTo(DiagnosticIds.UnknownDirective));
            Assert.That(ModelExtractorTests.SpanText(source, diagnostic), Is.EqualTo(".frob"));
            Assert.That(Message(diagnostic), Does.Not.Contain("frame strategy"));
        });
    }

    [Test]
    public void A_configuration_symbol_that_does_not_evaluate_is_one_diagnostic_for_its_strategy()
    {
        string source = """
            using EntryModel;
            [KernelModel, FrameStrategy("none"), FrameStrategy("bad", "WIDTH=1+")]
            public static partial class Kernel
            {
                [GasCode("a")] public const string A = "ret";
                [GasCode("b")] public const string B = "ret";
            }
            """;
        var outcome = GeneratorHarness.Run(source);

        var diagnostic = outcome.Diagnostics.Single();
        Assert.Multiple(() =>
        {
            Assert.That(diagnostic.Id, Is.EqualTo(DiagnosticIds.BadDeclaration));
            Assert.That(Message(diagnostic), Does.StartWith("configuration symbol 'WIDTH=1+'").And.EndWith("(frame strategy bad)"));
            Assert.That(ModelExtractorTests.SpanText(source, diagnostic), Is.EqualTo("Kernel"));
        });
    }

    [Test]
    public void A_statement_that_rept_repeats_is_one_diagnostic()
    {
        string source = Model("""[GasCode("f")] public const string F = ".rept 3\nfrob %rax\n.endr\nret";""");
        var diagnostic = GeneratorHarness.Run(source).Diagnostics.Single();

        Assert.That(ModelExtractorTests.SpanText(source, diagnostic), Is.EqualTo("frob"));
    }

    [Test]
    public void A_macro_body_error_is_reported_once_per_declaration_that_expands_it()
    {
        // Different places to fix: the message names the expansion, which differs per declaration.
        string source = Model(
            """[GasMacros] public const string Macros = ".macro BAD\nfrob %rax\n.endm";""",
            """[GasCode("a")] public const string A = "BAD\nret";""",
            """[GasCode("b")] public const string B = "BAD\nret";""");
        var diagnostics = GeneratorHarness.Run(source).Diagnostics;

        Assert.That(diagnostics.Select(d => (d.Id, ModelExtractorTests.SpanText(source, d))), Is.EqualTo(new[]
        {
            (DiagnosticIds.UnknownMnemonic, "frob"),
            (DiagnosticIds.UnknownMnemonic, "frob"),
        }));
        Assert.That(diagnostics.Select(Message), Is.EquivalentTo(new[] { "unknown or unsupported instruction 'frob' (in BAD at a:1)", "unknown or unsupported instruction 'frob' (in BAD at b:1)" }));
    }

    private static string Model(params string[] fields) =>
        "using EntryModel;\n" + Strategies + "\npublic static partial class Kernel\n{\n    " + string.Join("\n    ", fields) + "\n}\n";

    private static string Message(Diagnostic diagnostic) => diagnostic.GetMessage(CultureInfo.InvariantCulture);
}
