using EntryModel.Machine.Cpu;
using EntryModel.Machine.Delivery;
using EntryModel.Machine.Tests.Support;
using static EntryModel.Machine.Cpu.RFlags;
using static Iced.Intel.AssemblerRegisters;

namespace EntryModel.Machine.Tests.Execution;

public class MultiplyDivideTests
{
    [Test]
    public void Mul_64_gives_rdx_rax_and_sets_CF_OF_when_high_is_used()
    {
        var rig = new Rig();
        rig.RunKernel(a => { a.mov(rax, long.MinValue); a.mov(ebx, 4); a.mul(rbx); });
        Assert.That(rig[Gpr.Rax], Is.EqualTo(0));
        Assert.That(rig[Gpr.Rdx], Is.EqualTo(2));
        Assert.That(rig.Cpu.Rflags & (CF | OF), Is.EqualTo(CF | OF));
    }

    [Test]
    public void Mul_byte_writes_ax()
    {
        var rig = new Rig();
        rig.RunKernel(a => { a.mov(rax, -1L); a.mov(eax, 0x1234_5610); a.mov(ebx, 0x20); a.mul(bl); });
        Assert.That(rig[Gpr.Rax], Is.EqualTo(0x1234_0200UL));
        Assert.That(rig.Cpu.Rflags & (CF | OF), Is.EqualTo(CF | OF));
    }

    [Test]
    public void Imul_forms_truncate_and_flag_signed_overflow()
    {
        var rig = new Rig();
        rig.RunKernel(a => { a.mov(rbx, -3L); a.imul(rcx, rbx, 5); a.mov(rdx, 7); a.imul(rdx, rbx); });
        Assert.That(rig[Gpr.Rcx], Is.EqualTo(unchecked((ulong)-15L)));
        Assert.That(rig[Gpr.Rdx], Is.EqualTo(unchecked((ulong)-21L)));
        Assert.That(rig.Cpu.Rflags & (CF | OF), Is.EqualTo(0));

        rig = new Rig();
        rig.RunKernel(a => { a.mov(rax, -1L); a.mov(eax, 0x40000000); a.imul(eax, eax, 4); });
        Assert.That(rig[Gpr.Rax], Is.EqualTo(0), "32-bit result zero-extends");
        Assert.That(rig.Cpu.Rflags & (CF | OF), Is.EqualTo(CF | OF));
    }

    [Test]
    public void Imul_one_operand_sign_extends_into_rdx()
    {
        var rig = new Rig();
        rig.RunKernel(a => { a.mov(rax, -2L); a.mov(ebx, 3); a.imul(rbx); });
        Assert.That(rig[Gpr.Rax], Is.EqualTo(unchecked((ulong)-6L)));
        Assert.That(rig[Gpr.Rdx], Is.EqualTo(ulong.MaxValue));
        Assert.That(rig.Cpu.Rflags & (CF | OF), Is.EqualTo(0));
    }

    [Test]
    public void Div_and_idiv_give_quotient_and_remainder()
    {
        var rig = new Rig();
        rig.RunKernel(a => { a.xor(edx, edx); a.mov(eax, 100); a.mov(ebx, 7); a.div(rbx); });
        Assert.That((rig[Gpr.Rax], rig[Gpr.Rdx]), Is.EqualTo((14UL, 2UL)));

        rig = new Rig();
        rig.RunKernel(a => { a.mov(rax, -100L); a.cqo(); a.mov(ebx, 7); a.idiv(rbx); });
        Assert.That((rig[Gpr.Rax], rig[Gpr.Rdx]), Is.EqualTo((unchecked((ulong)-14L), unchecked((ulong)-2L))));

        rig = new Rig();
        rig.RunKernel(a => { a.mov(eax, 1003); a.mov(ebx, 10); a.div(bl); });
        Assert.That(rig[Gpr.Rax] & 0xFFFF, Is.EqualTo((3UL << 8) | 100));
    }

    [Test]
    public void Divide_by_zero_raises_DE_at_the_div()
    {
        var rig = new Rig();
        var stop = rig.RunKernel(a => { a.mov(eax, 1); a.xor(ebx, ebx); a.div(rbx); });
        StopAssert.DeliveredTo(stop, ExceptionVector.DivideError);
        Assert.That(rig.Stack(0), Is.EqualTo(Rig.KernelCode + 7), "the saved RIP is the div itself (mov eax,1 is 5 bytes, xor 2)");
    }

    [Test]
    public void Quotient_overflow_raises_DE()
    {
        var rig = new Rig();
        var stop = rig.RunKernel(a => { a.mov(eax, 0x8000); a.mov(ebx, 0xff); a.idiv(bl); });
        StopAssert.DeliveredTo(stop, ExceptionVector.DivideError);

        rig = new Rig();
        stop = rig.RunKernel(a => { a.mov(rax, long.MinValue); a.cqo(); a.mov(rbx, -1L); a.idiv(rbx); });
        StopAssert.DeliveredTo(stop, ExceptionVector.DivideError);
    }
}
