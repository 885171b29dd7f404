using EntryModel.Unwinding.Tests.Support;
using static EntryModel.Unwinding.Tests.Support.Frames;
using static EntryModel.Unwinding.Tests.Support.SyntheticKernel;

namespace EntryModel.Unwinding.Tests.Unwinders;

/// <summary>How every %rbp-chain unwinder stops on a broken chain: the error, and the frames it reported before.</summary>
public sealed class UnwindErrorTests
{
    private static readonly string[] FrameUnwinders = ["frame", "frame-ptregs", "frame-encoded", "section", "task-flag"];

    [TestCaseSource(nameof(FrameUnwinders))]
    public void WrongDirection_when_the_start_rbp_lies_below_the_stack_pointer(string unwinder)
    {
        var scene = Scenes.Syscall();
        var start = scene.Start with { Bp = scene.Start.Sp - 0x40 };

        var trace = UnwindTrace.Collect(Unwinder(unwinder), start);

        Assert.That(trace.Frames, Is.EqualTo((UnwindFrame[])[Current(LeafRunning)]));
        Assert.That(trace.Error, Is.EqualTo(UnwindError.WrongDirection));
    }

    [TestCaseSource(nameof(FrameUnwinders))]
    public void WrongDirection_when_a_saved_rbp_points_at_its_own_frame_record(string unwinder)
    {
        var scene = Scenes.Syscall();
        scene.Memory[scene.InnerBp] = scene.InnerBp;

        var trace = scene.Walk(unwinder);

        Assert.That(trace.Frames, Is.EqualTo((UnwindFrame[])[Current(LeafRunning), Call(InnerRet, scene.InnerSlot), Call(MiddleRet, scene.MiddleSlot)]));
        Assert.That(trace.Error, Is.EqualTo(UnwindError.WrongDirection));
    }

    [TestCaseSource(nameof(FrameUnwinders))]
    public void WrongDirection_when_a_saved_rbp_points_back_at_a_lower_frame(string unwinder)
    {
        var scene = Scenes.Syscall();
        scene.Memory[scene.HandlerSlot - 8] = scene.InnerBp; // middle's record now leads back down to inner's

        var trace = scene.Walk(unwinder);

        Assert.That(trace.Frames, Is.EqualTo((UnwindFrame[])[Current(LeafRunning), Call(InnerRet, scene.InnerSlot), Call(MiddleRet, scene.MiddleSlot), Call(HandlerRet, scene.HandlerSlot)]));
        Assert.That(trace.Error, Is.EqualTo(UnwindError.WrongDirection));
    }

    [TestCaseSource(nameof(FrameUnwinders))]
    public void StackRevisited_when_two_stacks_link_to_each_other(string unwinder)
    {
        // IST's hardware frame says it interrupted the IRQ stack; the IRQ stack's top word says it
        // interrupted the IST stack; a frame record on the IRQ stack points back onto the IST stack.
        var memory = new FakeMemory();
        ulong istSp = TestStacks.Ist.High - 0x100;
        ulong irqSp = TestStacks.Irq.High - 0x100;
        memory[TestStacks.Ist.High - 16] = irqSp;
        memory[TestStacks.Irq.High - 8] = istSp;
        memory[irqSp] = istSp + 0x40;
        memory[irqSp + 8] = HandlerRet;
        var start = UnwindStart.FromRegisters(HandlerDump, istSp, irqSp, memory, TestStacks.All);

        var trace = UnwindTrace.Collect(Unwinder(unwinder), start);

        Assert.That(trace.Frames, Is.EqualTo((UnwindFrame[])[Current(HandlerDump, StackKind.Ist), Call(HandlerRet, irqSp + 8, StackKind.Irq)]));
        Assert.That(trace.Error, Is.EqualTo(UnwindError.StackRevisited));
    }

    [TestCaseSource(nameof(FrameUnwinders))]
    public void OutOfBounds_when_a_frame_record_at_high_minus_8_would_straddle_the_stacks_end(string unwinder)
    {
        var scene = Scenes.Syscall();
        var start = scene.Start with { Bp = TestStacks.Task.High - 8 };

        var trace = UnwindTrace.Collect(Unwinder(unwinder), start);

        Assert.That(trace.Frames, Has.Count.EqualTo(1));
        Assert.That(trace.Error, Is.EqualTo(UnwindError.OutOfBounds));
    }

    [TestCaseSource(nameof(FrameUnwinders))]
    public void OutOfBounds_when_a_frame_pointer_is_neither_on_the_current_stack_nor_on_its_links(string unwinder)
    {
        var scene = Scenes.Irq(Marks.None);
        var start = scene.Start with { Bp = TestStacks.Ist.High - 0x40 };

        var trace = UnwindTrace.Collect(Unwinder(unwinder), start);

        Assert.That(trace.Frames, Has.Count.EqualTo(1));
        Assert.That(trace.Error, Is.EqualTo(UnwindError.OutOfBounds));
    }

    [TestCaseSource(nameof(FrameUnwinders))]
    public void UnreadableMemory_when_a_frame_record_lies_on_an_unmapped_part_of_the_stack(string unwinder)
    {
        var memory = new FakeMemory();
        ulong sp = TestStacks.Task.Low + 0x100;
        var start = UnwindStart.FromRegisters(LeafRunning, sp, sp + 0x100, memory, TestStacks.All);

        var trace = UnwindTrace.Collect(Unwinder(unwinder), start);

        Assert.That(trace.Frames, Has.Count.EqualTo(1));
        Assert.That(trace.Error, Is.EqualTo(UnwindError.UnreadableMemory));
    }

    [TestCaseSource(nameof(FrameUnwinders))]
    public void UnknownStack_when_the_start_stack_pointer_is_on_no_usable_stack(string unwinder)
    {
        var scene = Scenes.Syscall();
        var start = scene.Start with { Sp = UserSp };

        var trace = UnwindTrace.Collect(Unwinder(unwinder), start);

        Assert.That(trace.Frames, Is.Empty);
        Assert.That(trace.Error, Is.EqualTo(UnwindError.UnknownStack));
    }

    [TestCaseSource(nameof(FrameUnwinders))]
    public void NotKernelText_when_a_return_address_is_a_user_address(string unwinder)
    {
        var scene = Scenes.Syscall();
        scene.Memory[scene.MiddleSlot] = UserRip;

        var trace = scene.Walk(unwinder);

        Assert.That(trace.Frames, Is.EqualTo((UnwindFrame[])[Current(LeafRunning), Call(InnerRet, scene.InnerSlot)]));
        Assert.That(trace.Error, Is.EqualTo(UnwindError.NotKernelText));
    }

    [TestCaseSource(nameof(FrameUnwinders))]
    public void NotKernelText_when_a_sleeping_tasks_switch_frame_holds_no_text(string unwinder)
    {
        var scene = Scenes.Sleeping();
        scene.Memory[scene.ScheduleSlot] = 0;

        var trace = scene.Walk(unwinder);

        Assert.That(trace.Frames, Is.Empty);
        Assert.That(trace.Error, Is.EqualTo(UnwindError.NotKernelText));
    }

    [TestCaseSource(nameof(FrameUnwinders))]
    public void EndOfStack_when_a_saved_rbp_leaves_the_task_stack(string unwinder)
    {
        var scene = Scenes.Syscall();
        scene.Memory[scene.InnerBp] = UserBp;

        var trace = scene.Walk(unwinder);

        Assert.That(trace.Frames, Has.Count.EqualTo(3));
        Assert.That(trace.Error, Is.EqualTo(UnwindError.EndOfStack));
    }

    [TestCase("frame-encoded", Marks.EncodedBp)]
    [TestCase("frame-ptregs", Marks.FakeFrame)]
    [TestCase("section", Marks.None)]
    public void BadRegs_when_in_kernel_pt_regs_hold_a_rip_that_is_not_text(string unwinder, Marks marks)
    {
        var scene = Scenes.PageFault(marks);
        scene.Memory[scene.KernelRegs + PtRegsRip] = UserRip;

        var trace = scene.Walk(unwinder);

        Assert.That(trace.Frames, Is.EqualTo((UnwindFrame[])[Current(HandlerDump), Call(PageFaultEntryRet, scene.EntrySlot)]));
        Assert.That(trace.Error, Is.EqualTo(UnwindError.BadRegs));
    }

    [TestCase("frame-encoded", Marks.EncodedBp)]
    [TestCase("frame-ptregs", Marks.FakeFrame)]
    [TestCase("section", Marks.None)]
    public void BadRegs_when_user_mode_pt_regs_lie_below_the_top_of_the_task_stack(string unwinder, Marks marks)
    {
        // A user-mode CS in the page fault's pt_regs: only the top pt_regs may be user mode.
        var scene = Scenes.PageFault(marks);
        scene.Memory[scene.KernelRegs + 0x88] = UserCs;

        var trace = scene.Walk(unwinder);

        Assert.That(trace.Frames, Is.EqualTo((UnwindFrame[])[Current(HandlerDump), Call(PageFaultEntryRet, scene.EntrySlot)]));
        Assert.That((trace.Done, trace.Error), Is.EqualTo((false, UnwindError.BadRegs)));
    }

    [Test]
    public void User_mode_pt_regs_at_the_top_of_an_ist_stack_end_the_walk()
    {
        // An IST event taken in user mode: the hardware frame at the IST stack's top is user mode.
        var scene = Scenes.Ist(Marks.EncodedBp);
        scene.Memory[scene.KernelRegs + PtRegsRip] = UserRip;
        scene.Memory[scene.KernelRegs + 0x88] = UserCs;
        scene.Memory[scene.KernelRegs + 0x98] = 0x7ffffffde000; // the user RSP

        var trace = scene.Walk("frame-encoded");

        Assert.That(trace.Frames, Is.EqualTo((UnwindFrame[])
        [
            Current(HandlerDump, StackKind.Ist), Call(PageFaultEntryRet, scene.EntrySlot, StackKind.Ist), Regs(UserRip, scene.KernelRegs, user: true, StackKind.Ist),
        ]));
        Assert.That((trace.Done, trace.Error), Is.EqualTo((true, UnwindError.None)));
    }

    [Test]
    public void User_mode_cs_with_kernel_rip_or_rsp_is_not_the_end_of_the_walk()
    {
        // A CS that says user mode, beside a kernel RIP and RSP: not a frame the CPU pushed on entry from user mode.
        var scene = Scenes.Ist(Marks.EncodedBp);
        scene.Memory[scene.KernelRegs + 0x88] = UserCs;

        var trace = scene.Walk("frame-encoded");

        Assert.That((trace.Done, trace.Error), Is.EqualTo((false, UnwindError.BadRegs)));
    }

    [TestCase(UserRip, 0xffffc90000001000UL, TestName = "User_mode_cs_with_a_user_rip_but_a_kernel_rsp_is_not_the_end_of_the_walk")]
    [TestCase(0xffffffff81000040UL, 0x7ffffffde000UL, TestName = "User_mode_cs_with_a_user_rsp_but_a_kernel_rip_is_not_the_end_of_the_walk")]
    public void User_mode_cs_needs_both_a_user_rip_and_a_user_rsp(ulong rip, ulong rsp)
    {
        // Each of the two addresses alone decides: the step and the batch loop judge regs by one rule.
        var scene = Scenes.Ist(Marks.EncodedBp);
        scene.Memory[scene.KernelRegs + PtRegsRip] = rip;
        scene.Memory[scene.KernelRegs + 0x88] = UserCs;
        scene.Memory[scene.KernelRegs + 0x98] = rsp;

        var trace = scene.Walk("frame-encoded");

        Assert.That((trace.Done, trace.Error), Is.EqualTo((false, UnwindError.BadRegs)));
    }
}
