using EntryModel.Generators.Extraction;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace EntryModel.Generators.Tests.Extraction;

/// <summary>Every value character maps back to the source character (or escape) that produced it.</summary>
public sealed class LiteralValueMapTests
{
    [TestCase("\"movq %rsp,%rbp\"")]
    [TestCase("\"a\\tb\\nc\\\\d\\\"e\\x41\\u0042\\U0001F600f\\0\"")]
    [TestCase("\"\\x4\\x41g\"")]
    [TestCase("@\"push %rbp\nmov \"\"x\"\"\"")]
    [TestCase("\"\"\"single \" raw\"\"\"")]
    [TestCase("\"\"\"\"with \"\"\" inside\"\"\"\"")]
    [TestCase("\"\"\"\n        pushq %rbp\n\n          movq %rsp, %rbp\n        \"\"\"")]
    [TestCase("\"\"\"\r\n    a\r\n      \r\n    b\r\n    \"\"\"")]
    [TestCase("\"\"\"\n    a\n    \"\"\"")]
    [TestCase("\"\"\"\n    a\n      \n    b\n     \n  \n    c\n    \"\"\"")]
    [TestCase("\"\"")]
    public void Map_points_every_value_character_at_its_source(string literal)
    {
        string source = "class C { const string F = " + literal + "; }";
        var token = CSharpSyntaxTree.ParseText(source).GetRoot().DescendantNodes().OfType<LiteralExpressionSyntax>().Single().Token;
        string value = token.ValueText;

        int[] map = LiteralValueMap.TryBuild(token.Text, token.SpanStart, value)!;

        Assert.That(map, Is.Not.Null);
        Assert.That(map, Has.Length.EqualTo(value.Length + 1));
        for (int i = 0; i < value.Length; i++)
        {
            char at = source[map[i]];
            Assert.That(at == value[i] || at == '\\' || (value[i] == '"' && at == '"'), Is.True, $"value[{i}]='{value[i]}' maps to '{at}'");
            Assert.That(map[i], Is.InRange(token.SpanStart, token.Span.End - 1));
            if (i > 0)
            {
                Assert.That(map[i], Is.GreaterThanOrEqualTo(map[i - 1]), "the map never runs backwards");
            }
        }

        Assert.That(map[value.Length], Is.InRange(token.SpanStart, token.Span.End));
    }

    [Test]
    public void Value_that_does_not_match_the_token_gives_no_map()
    {
        Assert.That(LiteralValueMap.TryBuild("\"abc\"", 0, "abd"), Is.Null);
        Assert.That(LiteralValueMap.TryBuild("$\"abc\"", 0, "abc"), Is.Null);
    }
}
