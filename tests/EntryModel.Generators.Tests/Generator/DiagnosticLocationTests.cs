using System.Collections.Immutable;
using EntryModel.Generators.Diagnostics;
using EntryModel.Generators.Model;
using EntryModel.Generators.Syntax;
using EntryModel.Generators.Tests.Extraction;
using Microsoft.CodeAnalysis;

namespace EntryModel.Generators.Tests.Generator;

/// <summary>
/// An assembler diagnostic at a value offset lands on the exact characters inside the string
/// literal, whatever kind of literal holds the text. A stand-in assembler reports every "BAD" in
/// each declaration's value; the test expects the span of that "BAD" in the file.
/// </summary>
public sealed class DiagnosticLocationTests
{
    [TestCase("\"nop\\n\\tBAD %rax\"", TestName = "Regular literal with escapes before the span")]
    [TestCase("\"\\x41\\u0042\\\\\\\"BAD\"", TestName = "Regular literal with hex and unicode escapes")]
    [TestCase("@\"nop\n  \"\"q\"\" BAD\"", TestName = "Verbatim literal across lines with doubled quotes")]
    [TestCase("\"\"\"nop; BAD\"\"\"", TestName = "Raw single-line literal")]
    [TestCase("\"\"\"\n        nop\n\n          BAD %rax\n        \"\"\"", TestName = "Raw multi-line literal with indentation removed")]
    [TestCase("\"\"\"\r\n    nop\r\n    BAD\r\n    \"\"\"", TestName = "Raw multi-line literal with CRLF lines")]
    public void Span_inside_the_literal_is_exact(string literal)
    {
        string source = "using EntryModel;\n[KernelModel, FrameStrategy(\"none\")]\npublic static partial class Kernel\n{\n    [GasCode(\"f\")]\n    public const string F = " + literal + ";\n}\n";
        var diagnostic = RunWithMarkerAssembler(source).Single();

        int expected = source.IndexOf("BAD", StringComparison.Ordinal);
        var lineSpan = diagnostic.Location.GetLineSpan();
        Assert.Multiple(() =>
        {
            Assert.That(diagnostic.Location.SourceSpan.Start, Is.EqualTo(expected));
            Assert.That(ModelExtractorTests.SpanText(source, diagnostic), Is.EqualTo("BAD"));
            Assert.That(lineSpan.Path, Is.EqualTo(GeneratorHarness.ModelPath));
            Assert.That(lineSpan.StartLinePosition, Is.EqualTo(Position(source, expected)));
            Assert.That(lineSpan.EndLinePosition, Is.EqualTo(Position(source, expected + 3)));
        });
    }

    [TestCase("\"nop\\n\" + \"BAD\"")]
    [TestCase("Shared")]
    public void Text_that_is_not_a_single_literal_is_reported_on_the_whole_initializer(string initializer)
    {
        string source = "using EntryModel;\n[KernelModel, FrameStrategy(\"none\")]\npublic static partial class Kernel\n{\n    private const string Shared = \"nop\\nBAD\";\n    [GasCode(\"f\")] public const string F = " + initializer + ";\n}\n";
        var diagnostic = RunWithMarkerAssembler(source).Single();

        Assert.That(ModelExtractorTests.SpanText(source, diagnostic), Is.EqualTo(initializer));
        Assert.That(diagnostic.Location.GetLineSpan().StartLinePosition.Line, Is.EqualTo(5));
    }

    [Test]
    public void Offsets_past_the_value_are_clamped_inside_the_literal()
    {
        const string Literal = "\"nop\"";
        string source = "using EntryModel;\n[KernelModel, FrameStrategy(\"none\")]\npublic static partial class Kernel\n{\n    [GasCode(\"f\")] public const string F = " + Literal + ";\n}\n";
        var capture = new ModelSourceCapture();
        AssemblyResult Wild(ModelSource m, EquatableArray<ParsedDeclaration> p, StrategySource s) =>
            capture.Assemble(m, p, s) with { Diagnostics = new EquatableArray<AsmDiagnostic>([new AsmDiagnostic(DiagnosticIds.BadOperand, "wild", 0, 2, 500)]) };

        var diagnostic = GeneratorHarness.Run(GeneratorHarness.With(ModelSourceCapture.Unsplit, Wild), source).WithId(DiagnosticIds.BadOperand).Single();

        int literalStart = source.IndexOf(Literal, StringComparison.Ordinal);
        Assert.That(diagnostic.Location.SourceSpan.Start, Is.EqualTo(literalStart + 3));
        Assert.That(diagnostic.Location.SourceSpan.End, Is.LessThanOrEqualTo(literalStart + Literal.Length));
    }

    private static Diagnostic[] RunWithMarkerAssembler(string source)
    {
        var capture = new ModelSourceCapture();
        AssemblyResult Marker(ModelSource model, EquatableArray<ParsedDeclaration> parsed, StrategySource strategy)
        {
            var found = ImmutableArray.CreateBuilder<AsmDiagnostic>();
            for (int i = 0; i < model.Declarations.Count; i++)
            {
                int at = model.Declarations[i].Text.IndexOf("BAD", StringComparison.Ordinal);
                if (at >= 0)
                {
                    found.Add(new AsmDiagnostic(DiagnosticIds.UnknownMnemonic, "unknown mnemonic 'BAD'", i, at, 3));
                }
            }

            return capture.Assemble(model, parsed, strategy) with { Diagnostics = new EquatableArray<AsmDiagnostic>(found.ToImmutable()) };
        }

        var outcome = GeneratorHarness.Run(GeneratorHarness.With(ModelSourceCapture.Unsplit, Marker), source);
        Assert.That(outcome.Result.Exception, Is.Null);
        return [.. outcome.WithId(DiagnosticIds.UnknownMnemonic)];
    }

    private static Microsoft.CodeAnalysis.Text.LinePosition Position(string source, int offset)
    {
        int line = 0, lineStart = 0;
        for (int i = 0; i < offset; i++)
        {
            if (source[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return new Microsoft.CodeAnalysis.Text.LinePosition(line, offset - lineStart);
    }
}
