using EntryModel.Machine.Cpu;
using EntryModel.Machine.Execution;
using EntryModel.Machine.Tests.Support;
using Iced.Intel;
using static EntryModel.Machine.Cpu.RFlags;
using static Iced.Intel.AssemblerRegisters;

namespace EntryModel.Machine.Tests.Execution;

/// <summary>Results and status flags of the ALU instructions, worked out by hand from the SDM's definitions.</summary>
public class ArithmeticFlagsTests
{
    private static (ulong Value, ulong Flags) Run(Action<Assembler> code)
    {
        var rig = new Rig();
        var stop = rig.RunKernel(code);
        Assert.That(stop.Kind, Is.EqualTo(StopKind.Halted), stop.ToString());
        return (rig[Gpr.Rax], rig.Cpu.Rflags & Arithmetic);
    }

    [Test]
    public void Add_byte_signed_overflow_sets_OF_SF_AF()
    {
        var (value, f) = Run(a => { a.mov(eax, 0x7f); a.add(al, 1); });
        Assert.That(value, Is.EqualTo(0x80));
        Assert.That(f, Is.EqualTo(OF | SF | AF));
    }

    [Test]
    public void Add_32bit_carry_out_to_zero_and_zero_extends()
    {
        var (value, f) = Run(a => { a.mov(rax, -1L); a.mov(eax, -1); a.add(eax, 1); });
        Assert.That(value, Is.EqualTo(0));
        Assert.That(f, Is.EqualTo(CF | PF | AF | ZF));
    }

    [Test]
    public void Sub_borrow_gives_all_ones()
    {
        var (value, f) = Run(a => { a.xor(eax, eax); a.sub(rax, 1); });
        Assert.That(value, Is.EqualTo(ulong.MaxValue));
        Assert.That(f, Is.EqualTo(CF | PF | AF | SF));
    }

    [Test]
    public void Cmp_most_negative_minus_one_overflows()
    {
        var (_, f) = Run(a => { a.mov(rax, long.MinValue); a.cmp(rax, 1); });
        Assert.That(f, Is.EqualTo(OF | AF | PF));
    }

    [Test]
    public void Adc_and_sbb_use_the_carry()
    {
        var (value, f) = Run(a => { a.stc(); a.mov(eax, 0xff); a.adc(al, 0); });
        Assert.That(value & 0xff, Is.EqualTo(0));
        Assert.That(f, Is.EqualTo(CF | ZF | AF | PF));

        (value, f) = Run(a => { a.stc(); a.mov(eax, 0); a.sbb(al, 0); });
        Assert.That(value, Is.EqualTo(0xff));
        Assert.That(f, Is.EqualTo(CF | AF | SF | PF));
    }

    [Test]
    public void Inc_keeps_carry_and_dec_overflows()
    {
        var (value, f) = Run(a => { a.stc(); a.mov(rax, -1L); a.inc(rax); });
        Assert.That(value, Is.EqualTo(0));
        Assert.That(f, Is.EqualTo(CF | ZF | AF | PF));

        (value, f) = Run(a => { a.clc(); a.mov(eax, 0x80000000); a.dec(eax); });
        Assert.That(value, Is.EqualTo(0x7fffffff));
        Assert.That(f, Is.EqualTo(OF | AF | PF));
    }

    [Test]
    public void Neg_sets_carry_unless_zero()
    {
        var (value, f) = Run(a => { a.mov(rax, 5); a.neg(rax); });
        Assert.That(value, Is.EqualTo(unchecked((ulong)-5L)));
        Assert.That(f, Is.EqualTo(CF | SF | AF));

        (_, f) = Run(a => { a.xor(eax, eax); a.neg(rax); });
        Assert.That(f, Is.EqualTo(ZF | PF));
    }

    [Test]
    public void Logic_clears_CF_and_OF()
    {
        var (value, f) = Run(a => { a.stc(); a.mov(eax, 0xf0); a.and(al, 0x0f); });
        Assert.That(value, Is.EqualTo(0));
        Assert.That(f, Is.EqualTo(ZF | PF));

        (_, f) = Run(a => { a.mov(rax, long.MinValue); a.test(rax, rax); });
        Assert.That(f, Is.EqualTo(SF | PF));
    }

    [Test]
    public void Xor_32bit_clears_the_upper_half()
    {
        var (value, f) = Run(a => { a.mov(rax, -1L); a.xor(eax, eax); });
        Assert.That(value, Is.EqualTo(0));
        Assert.That(f, Is.EqualTo(ZF | PF));
    }

    [Test]
    public void Shl_by_one_sets_CF_and_OF_from_the_top_bits()
    {
        var (value, f) = Run(a => { a.mov(eax, 0xC0); a.shl(al, 1); });
        Assert.That(value, Is.EqualTo(0x80));
        Assert.That(f, Is.EqualTo(CF | SF | AF), "AF is undefined; the host sets it after shifts");
    }

    [Test]
    public void Shift_by_zero_leaves_the_flags()
    {
        var (value, f) = Run(a => { a.mov(eax, 3); a.stc(); a.xor(ecx, ecx); a.shl(eax, cl); });
        Assert.That(value, Is.EqualTo(3));
        Assert.That(f & CF, Is.EqualTo(0), "xor cleared CF and a zero count changes nothing");

        (_, f) = Run(a => { a.mov(eax, 3); a.stc(); a.mov(ecx, 32); a.shl(eax, cl); });
        Assert.That(f & CF, Is.EqualTo(CF), "a 32-bit shift masks the count to 0");
    }

    [Test]
    public void Shr_and_sar_by_one()
    {
        var (value, f) = Run(a => { a.mov(eax, 0x81); a.shr(al, 1); });
        Assert.That(value, Is.EqualTo(0x40));
        Assert.That(f, Is.EqualTo(CF | OF | AF));

        (value, f) = Run(a => { a.mov(eax, 0x81); a.sar(al, 1); });
        Assert.That(value, Is.EqualTo(0xC0));
        Assert.That(f, Is.EqualTo(CF | SF | PF | AF));
    }

    [Test]
    public void Shift_count_from_cl_is_masked()
    {
        var (value, _) = Run(a => { a.mov(eax, 1); a.mov(ecx, 33); a.shl(eax, cl); });
        Assert.That(value, Is.EqualTo(2));
        (value, _) = Run(a => { a.mov(rax, 1); a.mov(ecx, 33); a.shl(rax, cl); });
        Assert.That(value, Is.EqualTo(1UL << 33));
    }

    [Test]
    public void Rotates_set_CF_and_OF_only()
    {
        var (value, f) = Run(a => { a.xor(edx, edx); a.mov(eax, 0x81); a.rol(al, 1); });
        Assert.That(value, Is.EqualTo(0x03));
        Assert.That(f, Is.EqualTo(CF | OF | ZF | PF), "ZF and PF stay from the xor");

        (value, f) = Run(a => { a.mov(edx, 1); a.add(edx, 1); a.mov(eax, 1); a.ror(al, 1); });
        Assert.That(value, Is.EqualTo(0x80));
        Assert.That(f, Is.EqualTo(CF | OF));
    }

    [Test]
    public void Sar_64bit_keeps_the_sign()
    {
        var (value, f) = Run(a => { a.mov(rax, -16L); a.sar(rax, 2); });
        Assert.That(value, Is.EqualTo(unchecked((ulong)-4L)));
        Assert.That(f, Is.EqualTo(SF | PF | AF), "0xfc has six bits set");
    }
}
