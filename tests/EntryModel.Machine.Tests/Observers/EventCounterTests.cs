using EntryModel.Machine.Delivery;
using EntryModel.Machine.Execution;
using EntryModel.Machine.GroundTruth;
using EntryModel.Machine.Memory;
using EntryModel.Machine.Observers;
using EntryModel.Machine.Tasks;
using EntryModel.Machine.Tests.Support;
using static Iced.Intel.AssemblerRegisters;

namespace EntryModel.Machine.Tests.Observers;

/// <summary>Observers attached to the machine, counted with <see cref="EventCounter"/>.</summary>
public class EventCounterTests
{
    private const PagePermissions UserCode = PagePermissions.Executable | PagePermissions.User;
    private const ulong UserFunction = Rig.UserCode + 0x100;
    private const ulong KernelFunction = Rig.KernelCode + 0x100;
    private const ulong SyscallEntry = Rig.KernelCode + 0x200;
    private const ulong TimerHandler = Rig.KernelCode + 0x300;
    private const ulong SoftwareHandler = Rig.KernelCode + 0x400;
    private const ulong InvalidOpcodeHandler = Rig.KernelCode + 0x500;
    private const int Timer = 0x20;

    /// <summary>
    /// A user program that meets every kind of report once or more: a timer interrupt at the first
    /// boundary (handler: iretq), a user call, a syscall whose entry switches stacks twice and makes a
    /// call before sysretq, INT 0x80 (handler: a call, iretq), UD2 (handler: skip it, iretq), then INT3
    /// into the rig's halting stub.
    /// </summary>
    private static Rig Program()
    {
        var rig = new Rig();
        rig.Memory.WriteUInt64(MachineLayout.PerCpuAddress + (ulong)PerCpuLayout.Default.TopOfStack, rig.KernelStack.Top);
        rig.Cpu.KernelGsBase = MachineLayout.PerCpuAddress;
        rig.Cpu.Lstar = SyscallEntry;
        rig.Load(KernelFunction, a => { a.nop(); a.ret(); });
        rig.Load(SyscallEntry, a =>
        {
            a.swapgs();
            a.mov(__qword_ptr.gs[PerCpuLayout.Default.UserRspScratch], rsp);
            a.mov(rsp, __qword_ptr.gs[PerCpuLayout.Default.TopOfStack]);
            a.push(rcx);
            a.push(r11);
            a.call(KernelFunction);
            a.pop(r11);
            a.pop(rcx);
            a.mov(rsp, __qword_ptr.gs[PerCpuLayout.Default.UserRspScratch]);
            a.swapgs();
            a.sysretq();
        });
        rig.Load(TimerHandler, a => a.iretq());
        rig.Load(SoftwareHandler, a => { a.call(KernelFunction); a.iretq(); });
        rig.Load(InvalidOpcodeHandler, a => { a.add(__qword_ptr[rsp], 2); a.iretq(); });
        IdtWriter.WriteGate(rig.Machine, rig.Cpu.IdtBase, Timer, TimerHandler, interruptGate: true);
        IdtWriter.WriteGate(rig.Machine, rig.Cpu.IdtBase, 0x80, SoftwareHandler, interruptGate: true, dpl: 3);
        IdtWriter.WriteGate(rig.Machine, rig.Cpu.IdtBase, ExceptionVector.InvalidOpcode, InvalidOpcodeHandler, interruptGate: true);
        rig.Load(UserFunction, a => { a.nop(); a.ret(); }, UserCode);
        rig.Load(Rig.UserCode, a =>
        {
            a.call(UserFunction);
            a.mov(eax, 41);
            a.syscall();
            a.@int(0x80);
            a.ud2();
            a.int3();
        }, UserCode);
        rig.EnterUser(Rig.UserCode);
        rig.Machine.InjectInterrupt(Timer);
        return rig;
    }

    private static (long Calls, long Returns, long Exceptions, long Interrupts, long SoftwareInterrupts, long Irets, long Syscalls, long Sysrets, long StackPointerWrites) Counts(EventCounter c) =>
        (c.Calls, c.Returns, c.Exceptions, c.Interrupts, c.SoftwareInterrupts, c.Irets, c.Syscalls, c.Sysrets, c.StackPointerWrites);

    // The whole program: 3 calls and returns (user, syscall entry, INT 0x80 handler), #UD, the timer,
    // INT 0x80 and INT3, 3 IRETQs, one SYSCALL/SYSRETQ, 2 MOV RSP in the syscall entry.
    private static readonly (long, long, long, long, long, long, long, long, long) Whole = (3, 3, 1, 1, 2, 3, 1, 1, 2);

    [Test]
    public void Counts_every_kind_of_report()
    {
        var rig = Program();
        var counter = new EventCounter();
        rig.Machine.Attach(counter);

        var stop = rig.Machine.Run();

        StopAssert.DeliveredTo(stop, ExceptionVector.Breakpoint);
        Assert.That(Counts(counter), Is.EqualTo(Whole), counter.ToString());
        Assert.That(counter.EventEntries, Is.EqualTo(4));
    }

    [Test]
    public void Two_observers_attached_at_once_both_see_every_report()
    {
        var rig = Program();
        var first = new EventCounter();
        var second = new EventCounter();
        rig.Machine.Attach(first);
        rig.Machine.Attach(second);
        rig.Machine.StartGroundTruth();

        var stop = rig.Machine.Run();

        StopAssert.DeliveredTo(stop, ExceptionVector.Breakpoint);
        Assert.That(rig.Machine.Observers, Is.EqualTo(new IMachineObserver[] { first, second, rig.Machine.GroundTruth }));
        Assert.That(Counts(first), Is.EqualTo(Whole), first.ToString());
        Assert.That(Counts(second), Is.EqualTo(Whole), second.ToString());
        var int3 = rig.Machine.GroundTruth.CurrentChain().Single();
        Assert.That((int3.Kind, int3.Vector), Is.EqualTo((TrueFrameKind.SoftwareInterrupt, ExceptionVector.Breakpoint)), "the recorder ran behind the fan-out too");
    }

    [Test]
    public void Detaching_stops_the_counts()
    {
        var rig = Program();
        var detached = new EventCounter();
        var kept = new EventCounter();
        rig.Machine.Attach(detached);
        rig.Machine.Attach(kept);

        var stop = rig.Machine.RunUntil(SyscallEntry);
        Assert.That(stop.Kind, Is.EqualTo(StopKind.Breakpoint));
        Assert.That(rig.Machine.Detach(detached), Is.True);
        Assert.That(rig.Machine.Detach(detached), Is.False, "already detached");
        stop = rig.Machine.Run();

        StopAssert.DeliveredTo(stop, ExceptionVector.Breakpoint);
        Assert.That(Counts(detached), Is.EqualTo((1L, 1L, 0L, 1L, 0L, 1L, 1L, 0L, 0L)), "the timer, the user call and the syscall, nothing after");
        Assert.That(Counts(kept), Is.EqualTo(Whole));
        Assert.That(rig.Machine.Observers, Is.EqualTo(new[] { kept }));
    }

    [Test]
    public void Attaching_twice_reports_once()
    {
        var rig = Program();
        var counter = new EventCounter();
        rig.Machine.Attach(counter);
        rig.Machine.Attach(counter);

        rig.Machine.Run();

        Assert.That(rig.Machine.Observers, Has.Count.EqualTo(1));
        Assert.That(Counts(counter), Is.EqualTo(Whole));
    }

    [Test]
    public void A_counter_stays_attached_across_restores_and_counts_every_run()
    {
        var rig = Program();
        var start = rig.Machine.Snapshot();
        var counter = new EventCounter();
        rig.Machine.Attach(counter);

        rig.Machine.Run();
        rig.Machine.Restore(start);
        Assert.That(rig.Machine.IsAttached(counter), Is.True, "a plain observer is not part of the snapshot");
        rig.Machine.Run();

        Assert.That(counter.Calls, Is.EqualTo(6));
        Assert.That(counter.EventEntries, Is.EqualTo(8));
        counter.Reset();
        Assert.That(Counts(counter), Is.EqualTo((0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L)));
    }

    [Test]
    public void No_observer_attached_runs_the_same_program()
    {
        var rig = Program();

        var stop = rig.Machine.Run();

        StopAssert.DeliveredTo(stop, ExceptionVector.Breakpoint);
        Assert.That(rig.Machine.Observers, Is.Empty);
        Assert.That(rig.Machine.GroundTruth.Enabled, Is.False);
    }
}
