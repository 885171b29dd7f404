using EntryModel.Generators.Extraction;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace EntryModel.Generators.Tests.Extraction;

/// <summary>Value lines map to file lines, and anything but a single literal falls back to the initializer.</summary>
public sealed class LiteralLocatorTests
{
    [Test]
    public void Multi_line_raw_literal_maps_each_value_line_to_its_file_line()
    {
        const string Source = "class C\n{\n    const string F = \"\"\"\n        pushq %rbp\n        movq %rsp, %rbp\n        \"\"\";\n}\n";
        var location = Locate(Source, out string value);

        Assert.That(value, Is.EqualTo("pushq %rbp\nmovq %rsp, %rbp"));
        Assert.That(location.FileLines, Is.EqualTo(new[] { 4, 5 }));
        int movq = value.IndexOf("movq", StringComparison.Ordinal);
        var (start, length) = location.Map(movq, 4);
        Assert.That(Source.Substring(start, length), Is.EqualTo("movq"));
        Assert.That(location.PositionOf(start), Is.EqualTo((4, 8)));
    }

    [Test]
    public void Regular_literal_with_newline_escapes_keeps_every_value_line_on_the_literal_line()
    {
        const string Source = "class C {\n const string F = \"nop\\nret\"; }";
        var location = Locate(Source, out _);
        Assert.That(location.FileLines, Is.EqualTo(new[] { 2, 2 }));
        var (start, _) = location.Map(4, 3);
        Assert.That(Source.Substring(start, 3), Is.EqualTo("ret"));
        Assert.That(location.PositionOf(start), Is.EqualTo((1, 24)));
    }

    [TestCase("\"nop\" + \"\\nret\"")]
    [TestCase("Other")]
    [TestCase("$\"nop\"")]
    public void Anything_but_a_single_literal_falls_back_to_the_initializer(string initializer)
    {
        string source = "class C {\n const string Other = \"nop\\nret\";\n const string F = " + initializer + "; }";
        var tree = CSharpSyntaxTree.ParseText(source, path: "/f.cs");
        var declarator = tree.GetRoot().DescendantNodes().OfType<VariableDeclaratorSyntax>().Single(v => v.Identifier.Text == "F");
        var location = LiteralLocator.Locate(declarator.Initializer!.Value, "nop\nret", tree.GetText(), "/f.cs");

        Assert.That(location.ValueToSource, Is.Empty);
        Assert.That(source.Substring(location.LiteralStart, location.LiteralLength), Is.EqualTo(initializer));
        Assert.That(location.Map(4, 3), Is.EqualTo((location.LiteralStart, location.LiteralLength)));
        Assert.That(location.FileLines, Is.EqualTo(new[] { 3, 3 }));
    }

    private static Generators.Model.TextLocation Locate(string source, out string value)
    {
        var tree = CSharpSyntaxTree.ParseText(source, path: "/f.cs");
        var literal = tree.GetRoot().DescendantNodes().OfType<LiteralExpressionSyntax>().Single();
        value = literal.Token.ValueText;
        var location = LiteralLocator.Locate(literal, value, tree.GetText(), "/f.cs");
        Assert.That(location.ValueToSource, Is.Not.Empty);
        return location;
    }
}
