using EntryModel.Machine.Cpu;
using EntryModel.Machine.Delivery;
using EntryModel.Machine.Memory;
using EntryModel.Machine.Tests.Support;
using EntryModel.Machine.Tasks;
using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace EntryModel.Machine.Tests.Delivery;

/// <summary>SYSCALL/SYSRETQ and IRETQ between CPL 3 and CPL 0.</summary>
public class SyscallAndIretTests
{
    private const PagePermissions UserCode = PagePermissions.Executable | PagePermissions.User;
    private const ulong Entry = Rig.KernelCode + 0x100;

    /// <summary>A Linux-like syscall entry: swapgs, park the user RSP, switch to the task stack, add 1 to RAX, go back.</summary>
    private static void SyscallEntry(Assembler a)
    {
        a.swapgs();
        a.mov(__qword_ptr.gs[PerCpuLayout.Default.UserRspScratch], rsp);
        a.mov(rsp, __qword_ptr.gs[PerCpuLayout.Default.TopOfStack]);
        a.push(rcx);
        a.push(r11);
        a.add(rax, 1);
        a.pop(r11);
        a.pop(rcx);
        a.mov(rsp, __qword_ptr.gs[PerCpuLayout.Default.UserRspScratch]);
        a.swapgs();
        a.sysretq();
    }

    private static Rig SyscallRig()
    {
        var rig = new Rig();
        rig.Memory.WriteUInt64(MachineLayout.PerCpuAddress + (ulong)PerCpuLayout.Default.TopOfStack, rig.KernelStack.Top);
        rig.Cpu.KernelGsBase = MachineLayout.PerCpuAddress;
        rig.Cpu.Lstar = Entry;
        rig.Load(Entry, SyscallEntry);
        return rig;
    }

    [Test]
    public void Syscall_enters_cpl0_at_LSTAR_with_RCX_R11_and_FMASK()
    {
        var rig = SyscallRig();
        rig.Load(Rig.UserCode, a => { a.mov(eax, 41); a.stc(); a.syscall(); a.int3(); }, UserCode);
        rig.EnterUser(Rig.UserCode);

        var stop = rig.Machine.RunUntil(Entry);

        Assert.That(stop.Kind, Is.EqualTo(EntryModel.Machine.Execution.StopKind.Breakpoint));
        Assert.That(rig.Cpu.Cs, Is.EqualTo(Selectors.KernelCs));
        Assert.That(rig.Cpu.Ss, Is.EqualTo(Selectors.KernelSs));
        Assert.That(rig[Gpr.Rcx], Is.EqualTo(Rig.UserCode + 5 + 1 + 2), "RCX = the instruction after syscall");
        Assert.That(rig[Gpr.R11] & (RFlags.IF | RFlags.CF), Is.EqualTo(RFlags.IF | RFlags.CF), "R11 = RFLAGS");
        Assert.That(rig.Cpu.Rflags & RFlags.IF, Is.EqualTo(0UL), "FMASK clears IF");
        Assert.That(rig[Gpr.Rsp], Is.EqualTo(rig.UserStack.Top), "syscall does not touch RSP");
    }

    [Test]
    public void Syscall_and_sysret_round_trip_back_to_user()
    {
        var rig = SyscallRig();
        rig.Load(Rig.UserCode, a => { a.mov(eax, 41); a.syscall(); a.mov(rbx, rax); a.int3(); }, UserCode);
        rig.EnterUser(Rig.UserCode);

        var stop = rig.Machine.Run();

        StopAssert.DeliveredTo(stop, ExceptionVector.Breakpoint);
        Assert.That(rig[Gpr.Rbx], Is.EqualTo(42UL));
        Assert.That(rig.Stack(1), Is.EqualTo((ulong)Selectors.UserCs), "int3 came from CPL 3 after sysret");
        Assert.That(rig.Stack(2) & RFlags.IF, Is.EqualTo(RFlags.IF), "sysret restored RFLAGS from R11");
        Assert.That(rig.Stack(3), Is.EqualTo(rig.UserStack.Top), "user RSP restored");
        Assert.That(rig.Stack(4), Is.EqualTo((ulong)Selectors.UserSs));
        Assert.That(rig.Cpu.KernelGsBase, Is.EqualTo(MachineLayout.PerCpuAddress), "swapgs twice");
    }

    [Test]
    public void Sysret_to_a_non_canonical_RCX_faults_in_the_kernel()
    {
        var rig = new Rig();
        var stop = rig.RunKernel(a => { a.mov(rcx, 0x0000_8000_0000_0000); a.mov(r11, 0x202); a.sysretq(); });
        StopAssert.DeliveredTo(stop, ExceptionVector.GeneralProtection);
        Assert.That(rig.Stack(2), Is.EqualTo((ulong)Selectors.KernelCs), "#GP is taken at CPL 0");
        Assert.That(rig.Memory.Read(rig.Stack(1), 3), Is.EqualTo(new byte[] { 0x48, 0x0F, 0x07 }), "on the sysretq itself");
    }

    [Test]
    public void Sysret_at_cpl3_is_GP()
    {
        var rig = new Rig();
        rig.Load(Rig.UserCode, a => a.sysretq(), UserCode);
        rig.EnterUser(Rig.UserCode);
        StopAssert.DeliveredTo(rig.Machine.Run(), ExceptionVector.GeneralProtection);
    }

    [Test]
    public void Iretq_to_user_then_an_exception_comes_back_on_RSP0()
    {
        var rig = new Rig();
        rig.Load(Rig.UserCode, a => { a.mov(eax, 7); a.ud2(); }, UserCode);
        ulong userRsp = rig.UserStack.Top - 0x40;
        var stop = rig.RunKernel(a =>
        {
            a.push(Selectors.UserSs);
            a.mov(rax, userRsp);
            a.push(rax);
            a.push(0x202);
            a.push(Selectors.UserCs);
            a.mov(rax, Rig.UserCode);
            a.push(rax);
            a.iretq();
        });

        StopAssert.DeliveredTo(stop, ExceptionVector.InvalidOpcode);
        Assert.That(rig[Gpr.Rax], Is.EqualTo(7UL), "user code ran");
        Assert.That(rig[Gpr.Rsp], Is.EqualTo(rig.KernelStack.Top - 40));
        Assert.That(rig.Stack(0), Is.EqualTo(Rig.UserCode + 5));
        Assert.That(rig.Stack(1), Is.EqualTo((ulong)Selectors.UserCs));
        Assert.That(rig.Stack(3), Is.EqualTo(userRsp));
    }

    [Test]
    public void Iretq_returns_from_a_handler_to_the_interrupted_kernel_code()
    {
        var rig = new Rig();
        ulong handler = Rig.KernelCode + 0x200;
        rig.Load(handler, a => { a.mov(ebx, 99); a.iretq(); });
        IdtWriter.WriteGate(rig.Machine, rig.Cpu.IdtBase, 3, handler, interruptGate: false);
        var stop = rig.RunKernel(a => { a.int3(); a.mov(ecx, 5); });
        StopAssert.HaltedAt(stop, Rig.KernelCode + 1 + 5 + 1);
        Assert.That((rig[Gpr.Rbx], rig[Gpr.Rcx]), Is.EqualTo((99UL, 5UL)));
        Assert.That(rig[Gpr.Rsp], Is.EqualTo(rig.KernelStack.Top));
    }

    [Test]
    public void Iretq_with_mismatched_selectors_is_GP_with_the_selector()
    {
        var rig = new Rig();
        var stop = rig.RunKernel(a =>
        {
            a.push(Selectors.KernelSs);
            a.push(rsp);
            a.push(0x2);
            a.push(Selectors.UserCs);
            a.push(0);
            a.iretq();
        });
        StopAssert.DeliveredTo(stop, ExceptionVector.GeneralProtection);
        Assert.That(rig.Stack(0), Is.EqualTo((ulong)Selectors.KernelSs));
    }
}
