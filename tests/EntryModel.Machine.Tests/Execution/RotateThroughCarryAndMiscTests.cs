using EntryModel.Machine.Cpu;
using EntryModel.Machine.Tests.Support;
using static EntryModel.Machine.Cpu.RFlags;
using static Iced.Intel.AssemblerRegisters;

namespace EntryModel.Machine.Tests.Execution;

/// <summary>RCL/RCR (rotation through CF, counts modulo 9/17 for 8/16 bits), BSWAP, LAHF and SAHF.</summary>
public class RotateThroughCarryAndMiscTests
{
    [Test]
    public void Rcl_by_one_shifts_CF_in_and_the_top_bit_out()
    {
        var rig = new Rig();
        rig.RunKernel(a => { a.mov(eax, 0x81); a.stc(); a.rcl(al, 1); });
        Assert.That(rig[Gpr.Rax], Is.EqualTo(0x03UL));
        Assert.That(rig.Cpu.Rflags & (CF | OF), Is.EqualTo(CF | OF), "CF = old bit 7; OF = MSB(result) XOR CF = 0 XOR 1");
    }

    [Test]
    public void Rcr_by_one_and_an_8bit_count_of_9_is_a_full_turn()
    {
        var rig = new Rig();
        rig.RunKernel(a => { a.mov(eax, 0x01); a.clc(); a.rcr(al, 1); });
        Assert.That(rig[Gpr.Rax], Is.EqualTo(0x00UL));
        Assert.That(rig.Cpu.Rflags & (CF | OF), Is.EqualTo(CF), "OF = MSB(before) XOR CF(before) = 0");

        rig = new Rig();
        rig.RunKernel(a => { a.mov(eax, 0x5A); a.stc(); a.mov(ecx, 9); a.rcl(al, cl); });
        Assert.That(rig[Gpr.Rax], Is.EqualTo(0x5AUL));
        Assert.That(rig.Cpu.Rflags & CF, Is.EqualTo(CF));
    }

    [Test]
    public void Rcl_64_by_3()
    {
        var rig = new Rig();
        rig.RunKernel(a => { a.mov(rax, unchecked((long)0xA000_0000_0000_0001)); a.clc(); a.rcl(rax, 3); });
        // Bits 63, 62, 61 (1, 0, 1) leave through CF in turn; CF=0, then 1, then 0 enter at the bottom.
        Assert.That(rig[Gpr.Rax], Is.EqualTo(0x0AUL));
        Assert.That(rig.Cpu.Rflags & CF, Is.EqualTo(CF));
    }

    [Test]
    public void Bswap_32_and_64()
    {
        var rig = new Rig();
        rig.RunKernel(a => { a.mov(rax, 0x1122334455667788); a.bswap(rax); a.mov(rbx, -1L); a.mov(ebx, 0x11223344); a.bswap(ebx); });
        Assert.That(rig[Gpr.Rax], Is.EqualTo(0x8877665544332211UL));
        Assert.That(rig[Gpr.Rbx], Is.EqualTo(0x44332211UL));
    }

    [Test]
    public void Lahf_and_sahf_move_the_low_flags_through_AH()
    {
        var rig = new Rig();
        rig.RunKernel(a =>
        {
            a.xor(eax, eax);   // ZF PF
            a.stc();
            a.lahf();
            a.mov(ebx, eax);
            a.mov(eax, 0xD5 << 8);
            a.sahf();
        });
        Assert.That((rig[Gpr.Rbx] >> 8) & 0xFF, Is.EqualTo(ZF | PF | CF | Reserved1));
        Assert.That(rig.Cpu.Rflags & Arithmetic, Is.EqualTo(SF | ZF | AF | PF | CF), "SAHF leaves OF alone (it was 0)");
    }
}
