using EntryModel.Machine.Cpu;
using EntryModel.Machine.Delivery;
using EntryModel.Machine.Execution;
using EntryModel.Machine.GroundTruth;
using EntryModel.Machine.Memory;
using EntryModel.Machine.Tasks;
using EntryModel.Machine.Tests.Support;
using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace EntryModel.Machine.Tests.GroundTruth;

/// <summary>The recorded chain of live frames against what the code really did.</summary>
public class GroundTruthRecorderTests
{
    private const ulong F1 = Rig.KernelCode + 0x100;
    private const ulong F2 = Rig.KernelCode + 0x200;
    private const ulong Leaf = Rig.KernelCode + 0x300;

    /// <summary>A rig about to call F1 (which calls F2, which calls Leaf) from kernel code, then halt.</summary>
    private static Rig CallingF1()
    {
        var rig = new Rig();
        Functions(rig);
        rig.Load(Rig.KernelCode, a => { a.call(F1); a.hlt(); });
        rig.Cpu.Rip = Rig.KernelCode;
        return rig;
    }

    private static void Functions(Rig rig)
    {
        rig.Load(F1, a => { a.push(rbp); a.mov(rbp, rsp); a.call(F2); a.pop(rbp); a.ret(); });
        rig.Load(F2, a => { a.push(rbp); a.mov(rbp, rsp); a.call(Leaf); a.pop(rbp); a.ret(); });
        rig.Load(Leaf, a => { a.nop(); a.ret(); });
    }

    [Test]
    public void Calls_push_frames_and_returns_pop_them()
    {
        var rig = CallingF1();
        rig.Machine.StartGroundTruth();

        var stop = rig.Machine.RunUntil(Leaf);

        Assert.That(stop.Kind, Is.EqualTo(StopKind.Breakpoint));
        var chain = rig.Machine.GroundTruth.CurrentChain();
        Assert.That(chain.Select(f => f.Kind), Is.All.EqualTo(TrueFrameKind.Call));
        Assert.That(chain.Select(f => f.ReturnAddress), Is.EqualTo(new[] { F2 + 1 + 3 + 5, F1 + 1 + 3 + 5, Rig.KernelCode + 5 }));
        Assert.That(chain.Select(f => f.Target), Is.EqualTo(new[] { Leaf, F2, F1 }));
        Assert.That(chain[0].Slot, Is.EqualTo(rig[Gpr.Rsp]), "the innermost return address sits at RSP");
        Assert.That(rig.Machine.GroundTruth.ReturnAddresses(rig.KernelStack), Is.EqualTo(chain.Select(f => f.ReturnAddress)));
        foreach (var f in chain)
        {
            Assert.That(rig.Memory.ReadUInt64(f.Slot), Is.EqualTo(f.ReturnAddress));
        }

        rig.Machine.Run();
        Assert.That(rig.Machine.GroundTruth.CurrentChain(), Is.Empty);
    }

    [Test]
    public void Syscall_then_page_fault_in_the_kernel_records_every_boundary()
    {
        var rig = new Rig();
        Functions(rig);
        const ulong entry = Rig.KernelCode + 0x400;
        const ulong copy = Rig.KernelCode + 0x500;
        rig.Memory.WriteUInt64(MachineLayout.PerCpuAddress + (ulong)PerCpuLayout.Default.TopOfStack, rig.KernelStack.Top);
        rig.Cpu.KernelGsBase = MachineLayout.PerCpuAddress;
        rig.Cpu.Lstar = entry;
        rig.Load(entry, a =>
        {
            a.swapgs();
            a.mov(__qword_ptr.gs[PerCpuLayout.Default.UserRspScratch], rsp);
            a.mov(rsp, __qword_ptr.gs[PerCpuLayout.Default.TopOfStack]);
            a.push(rcx);
            a.call(copy);
        });
        rig.Load(copy, a => { a.push(rbp); a.mov(rbp, rsp); a.mov(__qword_ptr[0x700000], rax); });
        rig.Load(Rig.UserCode, a => { a.call(Rig.UserCode + 0x10); }, PagePermissions.Executable | PagePermissions.User);
        rig.Load(Rig.UserCode + 0x10, a => { a.nop(); a.syscall(); });
        rig.EnterUser(Rig.UserCode);
        rig.Machine.StartGroundTruth();

        var stop = rig.Machine.Run();

        StopAssert.DeliveredTo(stop, ExceptionVector.PageFault);
        var chain = rig.Machine.GroundTruth.CurrentChain();
        Assert.That(chain.Select(f => f.Kind), Is.EqualTo(new[]
        {
            TrueFrameKind.Exception, TrueFrameKind.Call, TrueFrameKind.StackSwitch, TrueFrameKind.Syscall, TrueFrameKind.Call,
        }));
        Assert.That(chain[0].ReturnAddress, Is.EqualTo(copy + 1 + 3), "the faulting instruction");
        Assert.That(chain[0].Vector, Is.EqualTo(ExceptionVector.PageFault));
        Assert.That(chain[0].Slot, Is.EqualTo(rig[Gpr.Rsp] + 8), "the RIP slot above the error code");
        Assert.That(chain[2].FromStack, Is.EqualTo(rig.UserStack));
        Assert.That(chain[2].Stack, Is.EqualTo(rig.KernelStack));
        Assert.That(chain[3].ReturnAddress, Is.EqualTo(Rig.UserCode + 0x13));
        Assert.That((chain[4].ReturnAddress, chain[4].Stack), Is.EqualTo((Rig.UserCode + 5, rig.UserStack)), "the user's own call, recorded before the kernel was entered");
        Assert.That(rig.Machine.GroundTruth.ReturnAddresses(rig.KernelStack), Is.EqualTo(new[] { copy + 4, entry + 3 + 9 + 9 + 1 + 5 }));
    }

    [Test]
    public void Interrupt_handler_on_the_irq_stack_and_back()
    {
        var rig = new Rig();
        Functions(rig);
        const ulong handler = Rig.KernelCode + 0x600;
        rig.Load(handler, a =>
        {
            a.mov(rax, rsp);
            a.mov(rsp, rig.IrqStack.Top);
            a.push(rax);
            a.call(F1);
            a.pop(rsp);
            a.iretq();
        });
        IdtWriter.WriteGate(rig.Machine, rig.Cpu.IdtBase, 0x20, handler, interruptGate: true);
        rig.Load(Rig.KernelCode, a => { for (int i = 0; i < 4; i++) { a.nop(); } a.hlt(); });
        rig.Cpu.Rip = Rig.KernelCode;
        rig.Cpu.Rflags = RFlags.Reserved1 | RFlags.IF;
        rig.Machine.InjectInterrupt(0x20, 2);
        rig.Machine.StartGroundTruth();

        var stop = rig.Machine.RunUntil(Leaf);

        Assert.That(stop.Kind, Is.EqualTo(StopKind.Breakpoint));
        var chain = rig.Machine.GroundTruth.CurrentChain();
        Assert.That(chain.Select(f => f.Kind), Is.EqualTo(new[]
        {
            TrueFrameKind.Call, TrueFrameKind.Call, TrueFrameKind.Call, TrueFrameKind.StackSwitch, TrueFrameKind.Interrupt,
        }));
        Assert.That(rig.Machine.GroundTruth.LiveFrames(rig.IrqStack), Has.Count.EqualTo(3));
        var interrupt = rig.Machine.GroundTruth.LiveFrames(rig.KernelStack).Single();
        Assert.That((interrupt.Kind, interrupt.ReturnAddress, interrupt.Vector), Is.EqualTo((TrueFrameKind.Interrupt, Rig.KernelCode + 2, 0x20)));

        stop = rig.Machine.Run();
        StopAssert.HaltedAt(stop, Rig.KernelCode + 5);
        Assert.That(rig.Machine.GroundTruth.CurrentChain(), Is.Empty, "pop %rsp left the irq stack; iretq ended the interrupt");
    }

    [Test]
    public void Task_switch_leaves_the_sleeping_task_chain_walkable()
    {
        var (rig, tasks, a, b, schedule) = SwitchingToB();
        rig.Machine.StartGroundTruth();

        var stop = rig.Machine.RunUntil(Leaf);

        Assert.That(stop.Kind, Is.EqualTo(StopKind.Breakpoint));
        var sleeping = rig.Machine.GroundTruth.ChainOfTask(a.Stack);
        Assert.That(sleeping.Select(f => f.ReturnAddress), Is.EqualTo(new[] { schedule + 1 + 3 + 5, Rig.KernelCode + 5 }));
        Assert.That(tasks.SavedRsp(a), Is.EqualTo(sleeping[0].Slot - (6 * 8)), "the saved RSP sits below the six callee-saved registers");
        var running = rig.Machine.GroundTruth.CurrentChain();
        Assert.That(running.Select(f => f.Target), Is.EqualTo(new[] { Leaf, F2 }), "task b entered F1 by ret, then made two calls");
        Assert.That(rig.Machine.GroundTruth.CurrentStack, Is.EqualTo(b.Stack));
    }

    /// <summary>Fork's switch frame: its return address is live (a new task's first switch returns through it) though nothing called it.</summary>
    [Test]
    public void A_seeded_return_is_live_until_the_first_switch_returns_through_it()
    {
        var (rig, tasks, _, b, _) = SwitchingToB();
        ulong slot = tasks.SavedRsp(b) + (6 * 8);
        rig.Machine.GroundTruth.SeedReturn(b.Stack, slot, F1);
        rig.Machine.StartGroundTruth();

        var asleep = rig.Machine.GroundTruth.ChainOfTask(b.Stack);
        Assert.That(asleep.Select(f => (f.ReturnAddress, f.Slot)), Is.EqualTo(new[] { (F1, slot) }), "kept across Start");

        rig.Machine.RunUntil(F2);
        var running = rig.Machine.GroundTruth.CurrentChain();
        Assert.That(running.Select(f => f.Target), Is.EqualTo(new[] { F2 }), "the switch returned through the seeded frame, which is gone");
        Assert.That(running.Select(f => f.ReturnAddress), Does.Not.Contain(F1));
    }

    private static (Rig Rig, TaskTable Tasks, KernelTask A, KernelTask B, ulong Schedule) SwitchingToB()
    {
        var rig = new Rig();
        Functions(rig);
        var tasks = new TaskTable(rig.Memory, rig.Allocator);
        var a = tasks.Create("a");
        var b = tasks.Create("b");
        const ulong switchTo = Rig.KernelCode + 0x700;
        const ulong schedule = Rig.KernelCode + 0x800;
        rig.Load(switchTo, asm =>
        {
            foreach (var r in new[] { rbp, rbx, r12, r13, r14, r15 })
            {
                asm.push(r);
            }

            asm.mov(__qword_ptr[rdi + TaskStructLayout.Default.SavedRsp], rsp);
            asm.mov(rsp, __qword_ptr[rsi + TaskStructLayout.Default.SavedRsp]);
            foreach (var r in new[] { r15, r14, r13, r12, rbx, rbp })
            {
                asm.pop(r);
            }

            asm.ret();
        });
        rig.Load(schedule, asm => { asm.push(rbp); asm.mov(rbp, rsp); asm.call(switchTo); asm.pop(rbp); asm.ret(); });
        Assert.That(tasks.SeedSwitchFrame(b, F1, reservedAtTop: 0x20), Is.EqualTo(b.Stack.Top - 0x20));
        rig.Load(Rig.KernelCode, asm => { asm.call(schedule); asm.hlt(); });
        rig.Cpu.Rip = Rig.KernelCode;
        rig[Gpr.Rsp] = a.Stack.Top;
        rig[Gpr.Rdi] = a.StructAddress;
        rig[Gpr.Rsi] = b.StructAddress;
        return (rig, tasks, a, b, schedule);
    }

    [Test]
    public void Ground_truth_state_follows_snapshots()
    {
        var rig = CallingF1();
        rig.Machine.StartGroundTruth();
        rig.Machine.RunUntil(F2);
        var snap = rig.Machine.Snapshot();
        rig.Machine.RunUntil(Leaf);
        Assert.That(rig.Machine.GroundTruth.CurrentChain(), Has.Count.EqualTo(3));
        rig.Machine.Restore(snap);
        Assert.That(rig.Machine.GroundTruth.CurrentChain(), Has.Count.EqualTo(2));
    }

    [Test]
    public void Restoring_a_snapshot_taken_without_ground_truth_detaches_the_recorder()
    {
        var rig = CallingF1();
        var before = rig.Machine.Snapshot();
        rig.Machine.StartGroundTruth();
        Assert.That((rig.Machine.GroundTruth.Enabled, rig.Machine.IsAttached(rig.Machine.GroundTruth)), Is.EqualTo((true, true)));
        rig.Machine.RunUntil(F2);
        var during = rig.Machine.Snapshot();

        rig.Machine.Restore(before);
        Assert.That(rig.Machine.GroundTruth.Enabled, Is.False);
        Assert.That(rig.Machine.Observers, Is.Empty);

        rig.Machine.Restore(during);
        Assert.That(rig.Machine.GroundTruth.Enabled, Is.True, "restoring a snapshot taken while recording attaches it again");
        Assert.That(rig.Machine.GroundTruth.CurrentChain(), Has.Count.EqualTo(2));
        rig.Machine.RunUntil(Leaf);
        Assert.That(rig.Machine.GroundTruth.CurrentChain(), Has.Count.EqualTo(3));
    }

    [Test]
    public void Stop_detaches_the_recorder_and_keeps_the_chain()
    {
        var rig = CallingF1();
        rig.Machine.StartGroundTruth();
        rig.Machine.RunUntil(F2);

        rig.Machine.GroundTruth.Stop();
        rig.Machine.RunUntil(Leaf);

        Assert.That(rig.Machine.Observers, Is.Empty);
        Assert.That(rig.Machine.GroundTruth.CurrentChain(), Has.Count.EqualTo(2), "the call to Leaf after Stop was not recorded");
    }
}
