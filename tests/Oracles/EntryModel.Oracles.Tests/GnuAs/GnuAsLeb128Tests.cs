using EntryModel.Generators.Diagnostics;
using EntryModel.Generators.Public;

namespace EntryModel.Oracles.Tests.GnuAs;

/// <summary>
/// Oracle: GNU as. <c>.uleb128</c>/<c>.sleb128</c> have no relocation: a label is its offset in its
/// section (in every pass, so sizes settle), a constant of 2^63 or more is the wider number GNU as
/// reads it as; a value that bounces between two sizes before a data alignment gets the extra
/// alignment GNU as adds; what GNU as refuses (an undefined symbol, labels of two sections, a size
/// that never settles) is a diagnostic at the value.
/// </summary>
[TestFixture]
public sealed class GnuAsLeb128Tests
{
    [TestCase("\t.skip 300\nf:\t.uleb128 f\n\t.uleb128 f+300\n\t.sleb128 f\n", TestName = "A label is its offset in its section")]
    [TestCase("\t.uleb128 f\n\t.skip 300\nf:\tret\n", TestName = "A forward label's offset counts the value's own size")]
    [TestCase("\t.uleb128 .Lx\n\t.sleb128 .Lx+1\n\t.data\n\t.skip 5\n.Lx:\t.byte 1\n", TestName = "A label of another section is its offset there")]
    [TestCase("\t.uleb128 .Lend-.Lstart\n.Lstart:\n\t.skip 200\n.Lend:\n", TestName = "A distance between labels")]
    [TestCase("\t.data\n\t.byte 0\n\t.uleb128 Lend-Lstart\nLstart:\n\t.skip 128*128-1\n\t.balign 4\nLend:\n", TestName = "A distance that grows past two bytes")]
    [TestCase("\t.sleb128 0x8000000000000000\n\t.sleb128 0xffffffffffffffff\n\t.sleb128 -0x8000000000000001\n\t.sleb128 -0x8000000000000000\n\t.sleb128 -0xffffffffffffffff\n", TestName = "Signed values of 2^63 and more are GNU as's wider numbers")]
    [TestCase("\t.sleb128 0x7fffffffffffffff, -1, 0-1, 1==1, 0x4000000000000000*2, (-1)<<63, 1-0x8000000000000001\n", TestName = "Signed values keep GNU as's sign through operators")]
    [TestCase("\t.set .Lc, 0x8000000000000000\n\t.set .Ld, -1\n\t.sleb128 .Lc, .Lc+1, .Lc-1, .Ld, -.Ld, .Ld+0\n\t.uleb128 .Lc, .Ld, -1\n.La:\tnop\n.Lb:\t.set .Lx, .La-.Lb\n\t.sleb128 .Lx, .La-.Lb\n", TestName = "A symbol's value is never negative to GNU as")]
    [TestCase("\t.data\n\t.byte 0,0\n\t.uleb128 .Lend-.Lstart\n.Lstart:\n\t.skip 128*128-1\n\t.balign 4\n.Lend:\n\t.byte 7\n", TestName = "A value that bounces between sizes gets GNU as's extra alignment")]
    [TestCase("\t.byte 0,0\n\t.uleb128 .Lend-.Lstart\n.Lstart:\n\t.skip 128*128-1\n\t.balign 4, 0\n.Lend:\n", TestName = "A bouncing value in code aligned with a fill")]
    [TestCase("\t.data\n\t.byte 0,0,0,0,0,0\n\t.uleb128 .Lend-.Lstart\n.Lstart:\n\t.skip 128*128-1\n\t.balign 8\n.Lend:\n", TestName = "A bouncing value before an 8-byte alignment")]
    [TestCase("\t.data\n\t.byte 0\n\t.sleb128 .Lend-.Lstart\n.Lstart:\n\t.skip 8191\n\t.balign 4,0xaa\n.Lend:\n", TestName = "A bouncing signed value")]
    [TestCase("\t.data\n\t.sleb128 .Lend-.Lstart\n.Lstart:\n\t.skip 63\n\t.balign 2\n.Lend:\n", TestName = "A signed distance at the edge of one byte")]
    public void Values_are_gnu_as_values(string text)
    {
        foreach (var machine in new[] { ObjectFileMachine.Amd64, ObjectFileMachine.I386 })
        {
            var (difference, _) = ObjectComparison.OfText(text, machine);
            Assert.That(difference, Is.Empty, machine.ToString());
        }
    }

    [TestCase("\t.uleb128 ext\n", "leb128 operand is an undefined symbol", DiagnosticIds.UndefinedSymbol, "ext")]
    [TestCase("\t.uleb128 ext+1\n", "leb128 operand is an undefined symbol", DiagnosticIds.UndefinedSymbol, "ext")]
    [TestCase("\t.set c, ext\n\t.sleb128 c\n", "leb128 operand is an undefined symbol", DiagnosticIds.UndefinedSymbol, "c")]
    [TestCase("\t.uleb128 .Lx-.Ly\n.Lx:\n\t.data\n.Ly:\n", "invalid operands", DiagnosticIds.SyntaxError, ".Lx-.Ly")]
    [TestCase(".La:\t.uleb128 129-(.Lb-.La)\n.Lb:\n", "Infinite loop", DiagnosticIds.LayoutError, "129-(.Lb-.La)")]
    [TestCase("\t.byte 0,0\n\t.uleb128 .Lend-.Lstart\n.Lstart:\n\t.skip 128*128-1\n\t.balign 4\n.Lend:\n", "Infinite loop", DiagnosticIds.LayoutError, ".Lend-.Lstart")]
    public void What_gnu_as_refuses_is_reported_at_the_value(string text, string gnuSays, string id, string spanText) =>
        GnuAsRefusal.AssertRefusedAt(text, ObjectFileMachine.Amd64, gnuSays, id, spanText);
}
