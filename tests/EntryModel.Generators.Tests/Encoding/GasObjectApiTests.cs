using EntryModel.Generators.Diagnostics;
using EntryModel.Generators.Public;

namespace EntryModel.Generators.Tests.Encoding;

/// <summary>A file assembled through the public API reports each problem once, at its line and column.</summary>
[TestFixture]
public sealed class GasObjectApiTests
{
    [TestCase("nop\n  /* open\n", DiagnosticIds.SyntaxError, 2, 3)]
    [TestCase("nop\n  frob %rax\n", DiagnosticIds.UnknownMnemonic, 2, 3)]
    public void A_problem_of_the_file_is_reported_once(string text, string id, int line, int column)
    {
        var file = GasObjectApi.Assemble(text, "t.s");

        var diagnostic = file.Diagnostics.Single();
        Assert.Multiple(() =>
        {
            Assert.That(diagnostic.Id, Is.EqualTo(id));
            Assert.That((diagnostic.Line, diagnostic.Column), Is.EqualTo((line, column)));
            Assert.That(file.HasErrors, Is.True);
        });
    }

    [Test]
    public void A_file_may_refer_to_symbols_it_does_not_define()
    {
        var file = GasObjectApi.Assemble("\t.globl f\nf:\n\tcall elsewhere\n\tret\n", "t.s");

        Assert.Multiple(() =>
        {
            Assert.That(file.Diagnostics, Is.Empty);
            Assert.That(file.Symbols.Select(s => s.Name), Does.Contain("elsewhere"));
            Assert.That(file.Section(".text")!.Relocations.Single().Symbol, Is.EqualTo("elsewhere"));
        });
    }
}
