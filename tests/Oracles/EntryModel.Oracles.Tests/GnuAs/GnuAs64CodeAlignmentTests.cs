using EntryModel.Generators.Public;

namespace EntryModel.Oracles.Tests.GnuAs;

/// <summary>
/// Oracle: GNU as. Code alignment in 64-bit code pads with GNU as's NOPs; from 88 bytes on GNU as
/// jumps over the padding (a short or near jmp, then NOPs), with and without a max-skip.
/// </summary>
[TestFixture]
public sealed class GnuAs64CodeAlignmentTests
{
    [TestCase(1, 7)]
    [TestCase(40, 7)]
    [TestCase(41, 7)]
    [TestCase(39, 7)]
    [TestCase(1, 8)]
    [TestCase(100, 8)]
    [TestCase(3, 9)]
    public void Long_code_padding_is_gnu_as_padding(int used, int log2)
    {
        var (difference, _) = ObjectComparison.OfText($"""
            	.text
            f:	.skip {used}, 0x90
            	.p2align {log2}
            g:	ret
            	.balign {1 << log2}
            	nop
            	.balign {1 << log2}
            	ret

            """, ObjectFileMachine.Amd64);
        Assert.That(difference, Is.Empty);
    }

    [TestCase("\t.p2align 7,,100", TestName = "A max-skip below the padding leaves it out")]
    [TestCase("\t.p2align 7,,127", TestName = "A max-skip above the padding keeps it")]
    [TestCase("\t.balign 128,,90", TestName = "A balign max-skip just above 88 bytes")]
    [TestCase("\t.balign 128,,88", TestName = "A balign max-skip of 88 bytes")]
    [TestCase("\t.balign 256,,200", TestName = "A max-skip of a 256-byte alignment")]
    public void Long_code_padding_with_a_max_skip_is_gnu_as_padding(string align)
    {
        foreach (int used in new[] { 1, 30, 39, 40, 127 })
        {
            var (difference, _) = ObjectComparison.OfText($"\t.text\n\tret\n\t.skip {used}, 0x90\n{align}\n\tret\n", ObjectFileMachine.Amd64);
            Assert.That(difference, Is.Empty, $"after {used + 1} bytes");
        }
    }
}
