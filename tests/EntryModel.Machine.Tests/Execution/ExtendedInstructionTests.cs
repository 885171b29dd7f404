using EntryModel.Machine.Cpu;
using EntryModel.Machine.Execution;
using EntryModel.Machine.Tests.Support;
using Iced.Intel;
using static EntryModel.Machine.Cpu.RFlags;
using static Iced.Intel.AssemblerRegisters;

namespace EntryModel.Machine.Tests.Execution;

/// <summary>XADD, CMPXCHG, BSF/BSR, LODS/SCAS/CMPS, LOOP/LOOPcc/JRCXZ, RDTSC, CMC/STD, worked out from the SDM.</summary>
public class ExtendedInstructionTests
{
    private static Rig Run(Action<Assembler> code)
    {
        var rig = new Rig();
        var stop = rig.RunKernel(code);
        Assert.That(stop.Kind, Is.EqualTo(StopKind.Halted), stop.ToString());
        return rig;
    }

    [Test]
    public void Xadd_register_exchanges_and_adds_with_add_flags()
    {
        var rig = Run(a => { a.mov(eax, 0xFF); a.mov(ecx, 1); a.xadd(al, cl); });
        Assert.That(rig[Gpr.Rax], Is.EqualTo(0x00UL));
        Assert.That(rig[Gpr.Rcx], Is.EqualTo(0xFFUL));
        Assert.That(rig.Cpu.Rflags & Arithmetic, Is.EqualTo(CF | ZF | AF | PF));
    }

    [Test]
    public void Xadd_same_register_doubles_and_lock_xadd_memory_returns_old_value()
    {
        var rig = Run(a => { a.mov(rax, 5); a.xadd(rax, rax); });
        Assert.That(rig[Gpr.Rax], Is.EqualTo(10UL));

        rig = new Rig();
        rig.Memory.WriteUInt64(Rig.KernelData, 0x7FFF_FFFF);
        rig.RunKernel(a => { a.mov(rbx, Rig.KernelData); a.mov(ecx, 1); a.@lock.xadd(__dword_ptr[rbx], ecx); });
        Assert.That(rig.Memory.ReadUInt64(Rig.KernelData), Is.EqualTo(0x8000_0000UL));
        Assert.That(rig[Gpr.Rcx], Is.EqualTo(0x7FFF_FFFFUL));
        Assert.That(rig.Cpu.Rflags & Arithmetic, Is.EqualTo(OF | SF | AF | PF));
    }

    [Test]
    public void Cmpxchg_equal_stores_source_and_sets_ZF()
    {
        var rig = new Rig();
        rig.Memory.WriteUInt64(Rig.KernelData, 42);
        rig.RunKernel(a => { a.mov(rbx, Rig.KernelData); a.mov(eax, 42); a.mov(ecx, 7); a.@lock.cmpxchg(__qword_ptr[rbx], rcx); });
        Assert.That(rig.Memory.ReadUInt64(Rig.KernelData), Is.EqualTo(7UL));
        Assert.That(rig[Gpr.Rax], Is.EqualTo(42UL));
        Assert.That(rig.Cpu.Rflags & Arithmetic, Is.EqualTo(ZF | PF));
    }

    [Test]
    public void Cmpxchg_not_equal_loads_accumulator_and_leaves_register_destination_unwritten()
    {
        var rig = Run(a => { a.mov(rax, -1L); a.mov(rdx, -1L); a.mov(edx, 5); a.mov(rdx, 0x1_0000_0005); a.mov(eax, 3); a.mov(ecx, 9); a.cmpxchg(edx, ecx); });
        Assert.That(rig[Gpr.Rax], Is.EqualTo(5UL), "EAX = destination, zero-extended");
        Assert.That(rig[Gpr.Rdx], Is.EqualTo(0x1_0000_0005UL), "destination not written");
        Assert.That(rig.Cpu.Rflags & Arithmetic, Is.EqualTo(CF | SF | AF));

        rig = Run(a => { a.mov(rax, 0x1_0000_0005); a.mov(rdx, 0x2_0000_0005); a.mov(ecx, 9); a.cmpxchg(edx, ecx); });
        Assert.That(rig[Gpr.Rdx], Is.EqualTo(9UL), "equal: destination = source, zero-extended");
        Assert.That(rig[Gpr.Rax], Is.EqualTo(0x1_0000_0005UL), "equal: accumulator not written");
    }

    [Test]
    public void Bsf_and_bsr_find_lowest_and_highest_set_bits()
    {
        var rig = Run(a => { a.mov(rbx, 0x0010_0000_0000_0100); a.bsf(rax, rbx); a.bsr(rcx, rbx); a.bsf(dx, bx); });
        Assert.That(rig[Gpr.Rax], Is.EqualTo(8UL));
        Assert.That(rig[Gpr.Rcx], Is.EqualTo(52UL));
        Assert.That(rig[Gpr.Rdx] & 0xFFFF, Is.EqualTo(8UL));
        Assert.That(rig.Cpu.Rflags & ZF, Is.Zero);
    }

    [Test]
    public void Bsf_and_bsr_of_zero_set_ZF_and_leave_the_destination_unchanged_as_AMD_does()
    {
        var rig = Run(a => { a.mov(rax, -1L); a.mov(rcx, 0x1234_5678_9ABC_DEF0); a.xor(ebx, ebx); a.bsf(eax, ebx); a.bsr(rcx, rbx); });
        Assert.That(rig[Gpr.Rax], Is.EqualTo(ulong.MaxValue), "not even zero-extended");
        Assert.That(rig[Gpr.Rcx], Is.EqualTo(0x1234_5678_9ABC_DEF0UL));
        Assert.That(rig.Cpu.Rflags & ZF, Is.EqualTo(ZF));
    }

    [Test]
    public void Rep_lods_leaves_the_last_element_and_advances_rsi()
    {
        var rig = new Rig();
        rig.Memory.WriteUInt64(Rig.KernelData, 0x4433_2211);
        rig.RunKernel(a => { a.mov(rsi, Rig.KernelData); a.mov(ecx, 3); a.rep.lodsb(); });
        Assert.That(rig[Gpr.Rax] & 0xFF, Is.EqualTo(0x33UL));
        Assert.That(rig[Gpr.Rsi], Is.EqualTo(Rig.KernelData + 3));
        Assert.That(rig[Gpr.Rcx], Is.Zero);
    }

    [Test]
    public void Lodsq_with_DF_set_goes_down()
    {
        var rig = new Rig();
        rig.Memory.WriteUInt64(Rig.KernelData + 8, 0x1122_3344_5566_7788);
        rig.RunKernel(a => { a.mov(rsi, Rig.KernelData + 8); a.std(); a.lodsq(); });
        Assert.That(rig[Gpr.Rax], Is.EqualTo(0x1122_3344_5566_7788UL));
        Assert.That(rig[Gpr.Rsi], Is.EqualTo(Rig.KernelData));
        Assert.That(rig.Cpu.Rflags & DF, Is.EqualTo(DF));
    }

    [Test]
    public void Repne_scasb_stops_at_the_match()
    {
        var rig = new Rig();
        rig.Memory.Write(Rig.KernelData, "abcdef"u8.ToArray());
        rig.RunKernel(a => { a.mov(rdi, Rig.KernelData); a.mov(ecx, 6); a.mov(eax, 'c'); a.repne.scasb(); });
        Assert.That(rig[Gpr.Rdi], Is.EqualTo(Rig.KernelData + 3));
        Assert.That(rig[Gpr.Rcx], Is.EqualTo(3UL));
        Assert.That(rig.Cpu.Rflags & Arithmetic, Is.EqualTo(ZF | PF));
    }

    [Test]
    public void Repe_cmpsw_stops_at_the_first_difference_with_cmp_flags_of_rsi_minus_rdi()
    {
        var rig = new Rig();
        rig.Memory.Write(Rig.KernelData, new byte[] { 1, 0, 2, 0, 3, 0 });
        rig.Memory.Write(Rig.KernelData + 0x100, new byte[] { 1, 0, 2, 0, 4, 0 });
        rig.RunKernel(a => { a.mov(rsi, Rig.KernelData); a.mov(rdi, Rig.KernelData + 0x100); a.mov(ecx, 3); a.repe.cmpsw(); });
        Assert.That(rig[Gpr.Rcx], Is.Zero);
        Assert.That(rig[Gpr.Rsi], Is.EqualTo(Rig.KernelData + 6));
        Assert.That(rig.Cpu.Rflags & Arithmetic, Is.EqualTo(CF | SF | AF | PF), "3 - 4");

        rig = new Rig();
        rig.Memory.Write(Rig.KernelData, new byte[] { 1, 9, 3, 0 });
        rig.Memory.Write(Rig.KernelData + 0x100, new byte[] { 1, 2, 3, 0 });
        rig.RunKernel(a => { a.mov(rsi, Rig.KernelData); a.mov(rdi, Rig.KernelData + 0x100); a.mov(ecx, 4); a.repe.cmpsb(); });
        Assert.That(rig[Gpr.Rcx], Is.EqualTo(2UL));
        Assert.That(rig[Gpr.Rdi], Is.EqualTo(Rig.KernelData + 0x102));
        Assert.That(rig.Cpu.Rflags & ZF, Is.Zero);
    }

    [Test]
    public void Rep_cmps_with_zero_count_keeps_the_flags()
    {
        var rig = Run(a => { a.mov(rsi, Rig.KernelData); a.mov(rdi, Rig.KernelData); a.stc(); a.xor(ecx, ecx); a.stc(); a.repe.cmpsd(); a.repne.scasq(); });
        Assert.That(rig.Cpu.Rflags & Arithmetic, Is.EqualTo(CF | ZF | PF));
        Assert.That(rig[Gpr.Rsi], Is.EqualTo(Rig.KernelData));
    }

    [Test]
    public void Loop_counts_rcx_down_and_loope_loopne_test_ZF()
    {
        var rig = Run(a =>
        {
            var top = a.CreateLabel();
            a.xor(eax, eax);
            a.mov(ecx, 5);
            a.Label(ref top);
            a.add(eax, 2);
            a.loop(top);
        });
        Assert.That(rig[Gpr.Rax], Is.EqualTo(10UL));
        Assert.That(rig[Gpr.Rcx], Is.Zero);

        rig = Run(a =>
        {
            var top = a.CreateLabel();
            a.xor(eax, eax);
            a.mov(ecx, 10);
            a.Label(ref top);
            a.inc(eax);
            a.cmp(eax, 3);
            a.loopne(top); // stops when eax == 3
        });
        Assert.That(rig[Gpr.Rax], Is.EqualTo(3UL));
        Assert.That(rig[Gpr.Rcx], Is.EqualTo(7UL));

        rig = Run(a =>
        {
            var top = a.CreateLabel();
            a.xor(eax, eax);
            a.mov(ecx, 10);
            a.Label(ref top);
            a.inc(eax);
            a.cmp(eax, eax);
            a.loope(top); // ZF stays 1: runs until RCX is 0
        });
        Assert.That(rig[Gpr.Rax], Is.EqualTo(10UL));
    }

    [Test]
    public void Jrcxz_branches_only_on_a_zero_rcx()
    {
        var rig = Run(a =>
        {
            var skip = a.CreateLabel();
            var skip2 = a.CreateLabel();
            a.mov(rcx, 0x1_0000_0000);
            a.xor(eax, eax);
            a.jrcxz(skip);
            a.inc(eax);
            a.Label(ref skip);
            a.xor(ecx, ecx);
            a.jrcxz(skip2);
            a.inc(eax);
            a.Label(ref skip2);
        });
        Assert.That(rig[Gpr.Rax], Is.EqualTo(1UL));
    }

    [Test]
    public void Rdtsc_returns_instructions_retired_in_edx_eax()
    {
        var rig = Run(a => { a.mov(rax, -1L); a.mov(rdx, -1L); a.nop(); a.rdtsc(); });
        Assert.That(rig[Gpr.Rdx], Is.Zero);
        Assert.That(rig[Gpr.Rax], Is.EqualTo(3UL), "three instructions retired before it");
    }

    [Test]
    public void Cmc_complements_carry_and_std_cld_set_and_clear_DF()
    {
        var rig = Run(a => { a.stc(); a.cmc(); a.std(); });
        Assert.That(rig.Cpu.Rflags & (CF | DF), Is.EqualTo(DF));
        rig = Run(a => { a.clc(); a.cmc(); a.std(); a.cld(); });
        Assert.That(rig.Cpu.Rflags & (CF | DF), Is.EqualTo(CF));
    }
}
