using EntryModel.Generators.Encoding;
using EntryModel.Generators.Public;

namespace EntryModel.Oracles.Tests.GnuAs;

/// <summary>
/// A text GNU as refuses: GNU as must say <c>gnuSays</c>, and the generator must report the
/// diagnostic <c>id</c> at the part of the text that is wrong, never bytes.
/// </summary>
internal static class GnuAsRefusal
{
    public static void AssertRefusedAt(string text, ObjectFileMachine machine, string gnuSays, string id, string spanText)
    {
        string gas = GnuAssembler.Errors(text, machine);
        Assert.That(gas, Does.Contain(gnuSays), "GNU as, the oracle, refuses the text");
        var assembly = GasAssembler.AssembleFile(text, machine: machine);
        var d = assembly.Diagnostics.FirstOrDefault(x => x.Id == id);
        Assert.That(d, Is.Not.Null, $"expected {id}; got: {string.Join("; ", assembly.Diagnostics.Select(x => x.Id + " " + x.Message))}");
        Assert.That(text.Substring(d!.Offset, d.Length), Is.EqualTo(spanText), d.Message);
    }
}
