using EntryModel.Machine.Cpu;
using EntryModel.Machine.Execution;
using EntryModel.Machine.Tests.Support;
using Iced.Intel;
using static EntryModel.Machine.Cpu.RFlags;
using static Iced.Intel.AssemblerRegisters;

namespace EntryModel.Machine.Tests.Execution;

public class DataMovementTests
{
    [Test]
    public void Register_writes_zero_extend_32_and_merge_16_and_8()
    {
        var rig = new Rig();
        rig.RunKernel(a =>
        {
            a.mov(rax, -1L);
            a.mov(eax, 0x12345678);
            a.mov(rbx, -1L);
            a.mov(bx, 0x1234);
            a.mov(rcx, -1L);
            a.mov(cl, 0x12);
            a.mov(rdx, -1L);
            a.mov(dh, 0);
            a.mov(rsi, 0x1122334455667788);
            a.mov(sil, 0);
        });
        Assert.That(rig[Gpr.Rax], Is.EqualTo(0x12345678UL));
        Assert.That(rig[Gpr.Rbx], Is.EqualTo(0xFFFFFFFFFFFF1234UL));
        Assert.That(rig[Gpr.Rcx], Is.EqualTo(0xFFFFFFFFFFFFFF12UL));
        Assert.That(rig[Gpr.Rdx], Is.EqualTo(0xFFFFFFFFFFFF00FFUL));
        Assert.That(rig[Gpr.Rsi], Is.EqualTo(0x1122334455667700UL));
    }

    [Test]
    public void Movzx_movsx_movsxd_and_memory_operands()
    {
        var rig = new Rig();
        rig.Memory.WriteUInt64(Rig.KernelData + 8, 0x8000_0000_8000_80F0);
        rig.RunKernel(a =>
        {
            a.mov(rbx, Rig.KernelData);
            a.movzx(eax, __byte_ptr[rbx + 8]);
            a.movsx(rcx, __byte_ptr[rbx + 8]);
            a.movsx(edx, __word_ptr[rbx + 8]);
            a.movsxd(rsi, __dword_ptr[rbx + 8]);
            a.mov(rdi, __qword_ptr[rbx + 8]);
            a.mov(__dword_ptr[rbx + 0x20], edi);
        });
        Assert.That(rig[Gpr.Rax], Is.EqualTo(0xF0UL));
        Assert.That(rig[Gpr.Rcx], Is.EqualTo(0xFFFFFFFFFFFFFFF0UL));
        Assert.That(rig[Gpr.Rdx], Is.EqualTo(0xFFFF80F0UL));
        Assert.That(rig[Gpr.Rsi], Is.EqualTo(0xFFFFFFFF800080F0UL));
        Assert.That(rig[Gpr.Rdi], Is.EqualTo(0x8000_0000_8000_80F0UL));
        Assert.That(rig.Memory.ReadUInt64(Rig.KernelData + 0x20), Is.EqualTo(0x800080F0UL));
    }

    [Test]
    public void Lea_computes_base_index_scale_displacement_and_rip_relative()
    {
        var rig = new Rig();
        var label = default(Label);
        rig.RunKernel(a =>
        {
            label = a.CreateLabel();
            a.mov(rbx, 0x1000);
            a.mov(rcx, 3);
            a.lea(rax, __qword_ptr[rbx + rcx * 8 - 0x10]);
            a.lea(edx, __qword_ptr[rbx + rcx * 2 + 1]);
            a.lea(rsi, __qword_ptr[label]);
            a.Label(ref label);
        });
        Assert.That(rig[Gpr.Rax], Is.EqualTo(0x1000UL + 24 - 0x10));
        Assert.That(rig[Gpr.Rdx], Is.EqualTo(0x1007UL));
        Assert.That(rig[Gpr.Rsi], Is.EqualTo(rig.Cpu.Rip - 1), "the label is the final hlt");
    }

    [Test]
    public void Push_and_pop_forms()
    {
        var rig = new Rig();
        ulong top = rig.KernelStack.Top;
        rig.RunKernel(a =>
        {
            a.push(-2);            // sign-extended imm8
            a.push(0x12345678);    // imm32
            a.push(rsp);           // pushes the value before the push
            a.pop(rax);
            a.pop(rbx);
            a.mov(rcx, Rig.KernelData);
            a.push(__qword_ptr[rcx]);
            a.pop(__qword_ptr[rcx + 8]);
        });
        Assert.That(rig[Gpr.Rax], Is.EqualTo(top - 16));
        Assert.That(rig[Gpr.Rbx], Is.EqualTo(0x12345678UL));
        Assert.That(rig.Memory.ReadUInt64(top - 8), Is.EqualTo(unchecked((ulong)-2L)));
        Assert.That(rig[Gpr.Rsp], Is.EqualTo(top - 8));
    }

    [Test]
    public void Pop_rsp_loads_the_popped_value()
    {
        var rig = new Rig();
        rig.RunKernel(a => { a.push(0x1234); a.pop(rsp); });
        Assert.That(rig[Gpr.Rsp], Is.EqualTo(0x1234UL));
    }

    [Test]
    public void Xchg_register_and_memory()
    {
        var rig = new Rig();
        rig.Memory.WriteUInt64(Rig.KernelData, 7);
        rig.RunKernel(a =>
        {
            a.mov(eax, 1);
            a.mov(ebx, 2);
            a.xchg(rax, rbx);
            a.mov(rcx, Rig.KernelData);
            a.mov(edx, 9);
            a.xchg(__qword_ptr[rcx], rdx);
        });
        Assert.That((rig[Gpr.Rax], rig[Gpr.Rbx], rig[Gpr.Rdx]), Is.EqualTo((2UL, 1UL, 7UL)));
        Assert.That(rig.Memory.ReadUInt64(Rig.KernelData), Is.EqualTo(9UL));
    }

    [Test]
    public void Cmov_and_setcc_follow_the_condition()
    {
        var rig = new Rig();
        rig.RunKernel(a =>
        {
            a.mov(rax, -1L);
            a.mov(ecx, 5);
            a.cmp(ecx, 6);          // 5 < 6: CF=1, SF!=OF
            a.cmovae(eax, ecx);     // not taken, but a 32-bit cmov still zero-extends
            a.mov(rbx, 1);
            a.cmovl(rbx, rcx);      // taken
            a.setb(dl);
            a.setg(dh);
        });
        Assert.That(rig[Gpr.Rax], Is.EqualTo(0xFFFFFFFFUL));
        Assert.That(rig[Gpr.Rbx], Is.EqualTo(5UL));
        Assert.That(rig[Gpr.Rdx] & 0xFFFF, Is.EqualTo(0x0001UL));
    }

    [Test]
    public void Bit_test_instructions()
    {
        var rig = new Rig();
        rig.Memory.WriteUInt64(Rig.KernelData + 8, 0);
        rig.RunKernel(a =>
        {
            a.mov(eax, 0b1010);
            a.bt(rax, 1);        // CF=1
            a.setc(bl);
            a.bts(rax, 0);       // CF=0, rax=0b1011
            a.setc(bh);
            a.mov(ecx, 3);
            a.btr(rax, rcx);     // CF=1, rax=0b0011
            a.setc(dl);
            a.mov(rsi, Rig.KernelData + 16);
            a.mov(rcx, -60L);    // bit string: 64 bits below +16 is +8, bit 4
            a.bts(__qword_ptr[rsi], rcx);
        });
        Assert.That(rig[Gpr.Rax], Is.EqualTo(0b0011UL));
        Assert.That(rig[Gpr.Rbx] & 0xFFFF, Is.EqualTo(0x0001UL));
        Assert.That(rig[Gpr.Rdx] & 0xFF, Is.EqualTo(1UL));
        Assert.That(rig.Memory.ReadUInt64(Rig.KernelData + 8), Is.EqualTo(1UL << 4));
    }

    [Test]
    public void Pushfq_popfq_round_trip_and_clc_stc_cmc_cld_std()
    {
        var rig = new Rig();
        rig.RunKernel(a =>
        {
            a.stc();
            a.cmc();
            a.std();
            a.pushfq();
            a.pop(rax);
            a.push(0x8D5);      // CF PF AF ZF SF OF
            a.popfq();
            a.cld();
        });
        Assert.That(rig[Gpr.Rax] & (CF | DF), Is.EqualTo(DF));
        Assert.That(rig.Cpu.Rflags & (Arithmetic | DF), Is.EqualTo(Arithmetic));
    }

    [Test]
    public void Popfq_at_cpl3_cannot_change_IF_or_IOPL()
    {
        var rig = new Rig();
        rig.Load(Rig.UserCode, a => { a.push(0x3002); a.popfq(); a.pushfq(); a.pop(rax); a.nop(); }, EntryModel.Machine.Memory.PagePermissions.Executable | EntryModel.Machine.Memory.PagePermissions.User);
        rig.EnterUser(Rig.UserCode);
        rig.Machine.Run(5);
        Assert.That(rig[Gpr.Rax] & (IF | IOPL), Is.EqualTo(IF));
    }

    [Test]
    public void Rep_movsb_stosq_and_direction()
    {
        var rig = new Rig();
        rig.Memory.Write(Rig.KernelData, "entrymodel"u8);
        rig.RunKernel(a =>
        {
            a.mov(rsi, Rig.KernelData);
            a.mov(rdi, Rig.KernelData + 0x100);
            a.mov(ecx, 10);
            a.rep.movsb();
            a.mov(rdi, Rig.KernelData + 0x200);
            a.mov(rax, 0x0101010101010101);
            a.mov(ecx, 3);
            a.rep.stosq();
            a.std();
            a.mov(rdi, Rig.KernelData + 0x300);
            a.mov(eax, 0xAB);
            a.stosb();
            a.cld();
        });
        Assert.That(rig.Memory.Read(Rig.KernelData + 0x100, 10), Is.EqualTo("entrymodel"u8.ToArray()));
        Assert.That(rig[Gpr.Rcx], Is.EqualTo(0UL));
        Assert.That(rig.Memory.ReadUInt64(Rig.KernelData + 0x210), Is.EqualTo(0x0101010101010101UL));
        Assert.That(rig.Memory.ReadUInt64(Rig.KernelData + 0x218), Is.EqualTo(0UL));
        Assert.That(rig[Gpr.Rdi], Is.EqualTo(Rig.KernelData + 0x2FF));
        Assert.That(rig.Memory.Read(Rig.KernelData + 0x300, 1)[0], Is.EqualTo(0xAB));
    }

    [Test]
    public void Sign_extension_of_the_accumulator()
    {
        var rig = new Rig();
        rig.RunKernel(a => { a.mov(eax, 0x80000000); a.cdqe(); a.mov(rbx, rax); a.mov(eax, 0x8000); a.cwde(); a.cdq(); });
        Assert.That(rig[Gpr.Rbx], Is.EqualTo(0xFFFFFFFF80000000UL));
        Assert.That(rig[Gpr.Rax], Is.EqualTo(0xFFFF8000UL));
        Assert.That(rig[Gpr.Rdx], Is.EqualTo(0xFFFFFFFFUL));
    }

    [Test]
    public void Gs_override_adds_the_gs_base()
    {
        var rig = new Rig();
        rig.Cpu.GsBase = Rig.KernelData;
        rig.Memory.WriteUInt64(Rig.KernelData + 0x18, 0x4242);
        rig.RunKernel(a => { a.mov(rax, __qword_ptr.gs[0x18]); a.mov(__qword_ptr.gs[0x20], rsp); });
        Assert.That(rig[Gpr.Rax], Is.EqualTo(0x4242UL));
        Assert.That(rig.Memory.ReadUInt64(Rig.KernelData + 0x20), Is.EqualTo(rig[Gpr.Rsp]));
    }

    [Test]
    public void Cpuid_answers_are_fixed()
    {
        var rig = new Rig();
        var stop = rig.RunKernel(a => { a.xor(eax, eax); a.cpuid(); });
        Assert.That(stop.Kind, Is.EqualTo(StopKind.Halted));
        Span<byte> vendor = stackalloc byte[12];
        BitConverter.TryWriteBytes(vendor, (uint)rig[Gpr.Rbx]);
        BitConverter.TryWriteBytes(vendor[4..], (uint)rig[Gpr.Rdx]);
        BitConverter.TryWriteBytes(vendor[8..], (uint)rig[Gpr.Rcx]);
        Assert.That(System.Text.Encoding.ASCII.GetString(vendor), Is.EqualTo("EntryModel64"));
    }
}
