using System.Globalization;
using EntryModel.Generators.Diagnostics;
using EntryModel.Generators.Tests.Extraction;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace EntryModel.Generators.Tests.Generator;

/// <summary>
/// A declaration may refer to symbols it does not define: its object keeps a relocation, and the
/// link resolves it against the other declarations. A symbol no declaration defines is reported by
/// the link, once per place that names it, at that operand, naming the symbol and the
/// declarations whose objects reference it.
/// </summary>
public sealed class UndefinedSymbolTests
{
    [TestCase("call nowhere\nret", "nowhere")]
    [TestCase("jmp nowhere", "nowhere")]
    [TestCase("movq nowhere(%rip), %rax\nret", "nowhere")]
    [TestCase("movq $nowhere+8, %rax\nret", "nowhere")]
    [TestCase("ret\n.pushsection .data\n.quad nowhere + 16\n.popsection", "nowhere")]
    public void An_undefined_symbol_is_reported_at_the_operand_naming_it_and_its_declaration(string text, string symbol)
    {
        string source = Model("""[GasCode("f")] public const string F = "TEXT";""".Replace("TEXT", text.Replace("\n", "\\n", StringComparison.Ordinal), StringComparison.Ordinal));
        var outcome = GeneratorHarness.Run(source);

        var diagnostic = outcome.Diagnostics.Single();
        Assert.Multiple(() =>
        {
            Assert.That(diagnostic.Id, Is.EqualTo(DiagnosticIds.UndefinedSymbol));
            Assert.That(diagnostic.Location.SourceSpan.Start, Is.EqualTo(source.IndexOf(symbol, source.IndexOf("F = ", StringComparison.Ordinal), StringComparison.Ordinal)));
            Assert.That(ModelExtractorTests.SpanText(source, diagnostic), Is.EqualTo(symbol));
            Assert.That(Message(diagnostic), Is.EqualTo($"undefined symbol '{symbol}', referenced by 'f'"));
            Assert.That(outcome.GeneratedSource, Does.Contain("None => throw new global::System.InvalidOperationException("), "an image links only when every symbol is defined");
        });
    }

    [Test]
    public void A_symbol_another_declaration_defines_links()
    {
        string source = Model(
            """[GasCode("f")] public const string F = "jmp helper";""",
            """[GasCode("helper")] public const string Helper = "ret";""");
        var outcome = GeneratorHarness.Run(source);

        Assert.That(outcome.Diagnostics, Is.Empty);
        var image = (KernelImage)GeneratorHarness.StaticProperty(GeneratorHarness.Load(outcome.Output), "Demo.Kernel", "None")!;
        Assert.That(image.Relocations.Single().Symbol, Is.EqualTo("helper"));
    }

    [Test]
    public void Each_declarations_own_reference_is_reported_at_its_own_operand()
    {
        string source = Model(
            """[GasCode("a")] public const string A = "call missing\nret";""",
            """[GasCode("b")] public const string B = "nop\njmp missing";""");
        var diagnostics = GeneratorHarness.Run(source).Diagnostics;

        int a = source.IndexOf("call missing", StringComparison.Ordinal) + 5;
        int b = source.IndexOf("jmp missing", StringComparison.Ordinal) + 4;
        Assert.That(diagnostics.Select(d => (d.Id, d.Location.SourceSpan, Message(d))), Is.EqualTo(new[]
        {
            (DiagnosticIds.UndefinedSymbol, new TextSpan(a, 7), "undefined symbol 'missing', referenced by 'a'"),
            (DiagnosticIds.UndefinedSymbol, new TextSpan(b, 7), "undefined symbol 'missing', referenced by 'b'"),
        }));
    }

    [Test]
    public void A_reference_in_a_macro_body_is_one_diagnostic_there_naming_every_declaration_that_expands_it()
    {
        string source = """
            using EntryModel;
            namespace Demo;
            [KernelModel, FrameStrategy("none"), FrameStrategy("fp", "CONFIG_FRAME_POINTER")]
            public static partial class Kernel
            {
                [GasMacros] public const string Macros = ".macro CALL_IT\n.rept 2\ncall missing\n.endr\n.endm";
                [GasCode("a")] public const string A = "CALL_IT\nret";
                [GasCode("b")] public const string B = "nop\nCALL_IT\nCALL_IT\nret";
            }
            """;
        var diagnostic = GeneratorHarness.Run(source).Diagnostics.Single();

        Assert.Multiple(() =>
        {
            Assert.That(diagnostic.Id, Is.EqualTo(DiagnosticIds.UndefinedSymbol));
            Assert.That(diagnostic.Location.SourceSpan, Is.EqualTo(new TextSpan(source.IndexOf("missing", StringComparison.Ordinal), 7)));
            Assert.That(Message(diagnostic), Is.EqualTo("undefined symbol 'missing', referenced by 'a' and 'b'"));
        });
    }

    [Test]
    public void An_undefined_local_label_names_its_declaration()
    {
        string source = Model("""[GasCode("f")] public const string F = "jmp 1f\nret";""");
        var diagnostic = GeneratorHarness.Run(source).Diagnostics.Single();

        Assert.Multiple(() =>
        {
            Assert.That(diagnostic.Id, Is.EqualTo(DiagnosticIds.UndefinedSymbol));
            Assert.That(ModelExtractorTests.SpanText(source, diagnostic), Is.EqualTo("1f"));
            Assert.That(Message(diagnostic), Is.EqualTo("undefined local label 1, referenced by 'f'"));
        });
    }

    [Test]
    public void An_undefined_symbol_in_a_GasFile_is_reported_at_its_line_and_column_in_the_file()
    {
        const string Path = "/proj/entry.s";
        const string File = "\t.globl entry\nentry:\n\tcall do_work\n\tret\n";
        const string Source = """
            using EntryModel;
            namespace Demo;
            [KernelModel, FrameStrategy("none")]
            public static partial class Kernel
            {
                [GasCode("entry"), GasFile("entry.s")] public const string Entry = "";
            }
            """;
        var diagnostic = GeneratorHarness.Run(GasFileTests.Files((Path, File)), Source).Diagnostics.Single();

        var span = diagnostic.Location.GetLineSpan();
        Assert.Multiple(() =>
        {
            Assert.That(diagnostic.Id, Is.EqualTo(DiagnosticIds.UndefinedSymbol));
            Assert.That(span.Path, Is.EqualTo(Path));
            Assert.That(span.Span, Is.EqualTo(new LinePositionSpan(new LinePosition(2, 6), new LinePosition(2, 13))));
            Assert.That(Message(diagnostic), Is.EqualTo("undefined symbol 'do_work', referenced by 'entry'"));
        });
    }

    private static string Model(params string[] fields) =>
        "using EntryModel;\nnamespace Demo;\n[KernelModel, FrameStrategy(\"none\"), FrameStrategy(\"fp\", \"CONFIG_FRAME_POINTER\")]\npublic static partial class Kernel\n{\n    " + string.Join("\n    ", fields) + "\n}\n";

    private static string Message(Diagnostic diagnostic) => diagnostic.GetMessage(CultureInfo.InvariantCulture);
}
