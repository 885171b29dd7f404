using EntryModel.Generators.Diagnostics;
using EntryModel.Generators.Encoding;
using EntryModel.Generators.Public;

namespace EntryModel.Oracles.Tests.GnuAs;

/// <summary>
/// Oracle: GNU as. A relocation operator (<c>sym@GOTOFF</c>, <c>foo@PLT</c> ...) or a reference to
/// <c>_GLOBAL_OFFSET_TABLE_</c> makes GNU as write a PIC or TLS relocation the generator does not:
/// a diagnostic at the operand, never a relocation against a symbol named <c>foo@PLT</c>. A 64-bit
/// call or jump to <c>foo@PLT</c> is GNU as's branch to <c>foo</c>, and assembles as GNU as does.
/// </summary>
[TestFixture]
public sealed class GnuAsRelocationOperatorTests
{
    // The relocation types the generator writes: x86-64's 64, PC32, PLT32, 32, 32S, 16, 8, PC8; i386's 32, PC32, 16, 8, PC8.
    private static readonly uint[] Amd64Written = { 1, 2, 4, 10, 11, 12, 14, 15 };
    private static readonly uint[] I386Written = { 1, 2, 20, 22, 23 };

    [Test]
    public void A_64_bit_branch_to_foo_at_plt_is_gnu_as_branch_to_foo()
    {
        var (difference, gas) = ObjectComparison.OfText("""
            	.text
            	.globl g
            g:	call foo@PLT
            	jmp foo@PLT
            	jne foo@plt
            	call f@PLT
            	call g@PLT
            f:	ret

            """, ObjectFileMachine.Amd64);
        Assert.Multiple(() =>
        {
            Assert.That(difference, Is.Empty);
            Assert.That(gas[".text"].Relocations.Select(r => r.Type).Distinct(), Is.EqualTo(new uint[] { 4 }), "R_X86_64_PLT32");
        });
    }

    [TestCase("\taddl $_GLOBAL_OFFSET_TABLE_, %ebx\n", "_GLOBAL_OFFSET_TABLE_", ObjectFileMachine.I386)]
    [TestCase("\tmovl sym@GOTOFF(%ebx), %eax\n", "sym@GOTOFF", ObjectFileMachine.I386)]
    [TestCase("\tmovl sym@GOT(%ebx), %eax\n", "sym@GOT", ObjectFileMachine.I386)]
    [TestCase("\tcall foo@PLT\n", "foo@PLT", ObjectFileMachine.I386)]
    [TestCase("\tmovl %gs:x@NTPOFF, %eax\n", "x@NTPOFF", ObjectFileMachine.I386)]
    [TestCase("\tleal x@TLSGD(,%ebx,1), %eax\n", "x@TLSGD", ObjectFileMachine.I386)]
    [TestCase("\tmovl x@INDNTPOFF, %eax\n", "x@INDNTPOFF", ObjectFileMachine.I386)]
    [TestCase("\tmovl x@GOTNTPOFF(%ebx), %eax\n", "x@GOTNTPOFF", ObjectFileMachine.I386)]
    [TestCase("\t.long x@GOTOFF\n", "x@GOTOFF", ObjectFileMachine.I386)]
    [TestCase("\tmovq foo@GOTPCREL(%rip), %rax\n", "foo@GOTPCREL", ObjectFileMachine.Amd64)]
    [TestCase("\tmovq %fs:x@TPOFF, %rax\n", "x@TPOFF", ObjectFileMachine.Amd64)]
    [TestCase("\tmovq x@GOTTPOFF(%rip), %rax\n", "x@GOTTPOFF", ObjectFileMachine.Amd64)]
    [TestCase("\tleaq x@TLSLD(%rip), %rdi\n", "x@TLSLD", ObjectFileMachine.Amd64)]
    [TestCase("\tleaq x@DTPOFF(%rax), %rdi\n", "x@DTPOFF", ObjectFileMachine.Amd64)]
    [TestCase("\tleaq _GLOBAL_OFFSET_TABLE_(%rip), %rbx\n", "_GLOBAL_OFFSET_TABLE_", ObjectFileMachine.Amd64)]
    [TestCase("\t.quad foo@GOTOFF\n", "foo@GOTOFF", ObjectFileMachine.Amd64)]
    public void A_relocation_operator_is_reported_at_its_operand(string text, string spanText, ObjectFileMachine machine)
    {
        var (_, gas) = ObjectComparison.OfText(text, machine);
        var written = machine == ObjectFileMachine.I386 ? I386Written : Amd64Written;
        var types = gas.Values.SelectMany(s => s.Relocations).Select(r => r.Type).ToList();
        Assert.That(types.Where(t => !written.Contains(t)), Is.Not.Empty, "GNU as writes a relocation the generator does not");

        var assembly = GasAssembler.AssembleFile(text, machine: machine);
        var d = assembly.Diagnostics.FirstOrDefault(x => x.Id == DiagnosticIds.BadOperand);
        Assert.That(d, Is.Not.Null, $"got: {string.Join("; ", assembly.Diagnostics.Select(x => x.Id + " " + x.Message))}");
        Assert.That(text.Substring(d!.Offset, d.Length), Is.EqualTo(spanText), d.Message);
        Assert.That(assembly.Object.Fixups.Select(f => f.Symbol), Has.None.Contain("@"), "no relocation against a symbol named with the operator");
    }
}
