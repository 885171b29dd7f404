using EntryModel.Generators.Public;

namespace EntryModel.Oracles.Tests.GnuAs;

/// <summary>
/// Oracle: GNU as. An x86-64 object's addends are its RELA entries' own, not its fields': GNU as
/// takes an addend too large for a 1- or 2-byte field (the linker checks the value), where as --32
/// refuses it (GnuAs32ObjectTests).
/// </summary>
[TestFixture]
public sealed class GnuAs64AddendTests
{
    [Test]
    public void Addends_wider_than_their_field_are_gnu_as_rela_entries()
    {
        var (difference, gas) = ObjectComparison.OfText("""
            	.text
            	.byte ext+300, ext-256
            	.word ext+70000
            	movb $ext+300, %al
            	pushw $ext+70000

            """, ObjectFileMachine.Amd64);
        Assert.Multiple(() =>
        {
            Assert.That(difference, Is.Empty);
            Assert.That(gas[".text"].Relocations.Select(r => r.Addend), Is.EqualTo(new long[] { 300, -256, 70000, 300, 70000 }));
        });
    }
}
