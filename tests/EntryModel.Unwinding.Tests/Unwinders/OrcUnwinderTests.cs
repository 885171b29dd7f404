using EntryModel.Unwinding.Image;
using EntryModel.Unwinding.Reliable;
using EntryModel.Unwinding.Tests.Support;
using EntryModel.Unwinding.Unwinders;
using static EntryModel.Unwinding.Tests.Support.Frames;
using static EntryModel.Unwinding.Tests.Support.OrcKernel;
using static EntryModel.Unwinding.Tests.Support.SyntheticKernel;

namespace EntryModel.Unwinding.Tests.Unwinders;

/// <summary>
/// <c>orc</c> on the synthetic kernel's ORC rows: call frames from %rbp and from the stack pointer,
/// pt_regs and iret frames, the IRQ and IST stacks, and each way a walk ends or fails.
/// </summary>
public sealed class OrcUnwinderTests
{
    private static readonly ReliableWalker Walker = new(OrcKernel.Unwind);

    private static (bool Done, UnwindError Error, UnwindCaveat Caveats) Done => (true, UnwindError.None, UnwindCaveat.None);

    [Test]
    public void Call_frames_with_a_frame_pointer_are_found_from_bp_down_to_the_user_regs()
    {
        var scene = Scenes.Syscall();

        var trace = OrcKernel.Walk(scene.Start);

        Assert.That(trace.Frames, Is.EqualTo((UnwindFrame[])[Current(LeafRunning), Call(InnerRet, scene.InnerSlot), .. scene.TaskTail]));
        Assert.That((trace.Done, trace.Error, trace.Caveats), Is.EqualTo(Done));
    }

    [Test]
    public void A_frameless_caller_is_found_from_the_stack_pointer()
    {
        var scene = OrcScenes.FramelessCaller();

        var trace = OrcKernel.Walk(scene.Start);

        Assert.That(trace.Frames, Is.EqualTo((UnwindFrame[])
        [
            Current(LeafRunning), Call(TailCallerRet, scene.InnerSlot), Call(MiddleIndirectRet, scene.MiddleIndirectSlot),
            Call(HandlerRet, scene.HandlerSlot), Call(SyscallEntryRet, scene.SyscallSlot), Regs(UserRip, scene.UserRegs, user: true),
        ]));
        Assert.That((trace.Done, trace.Error, trace.Caveats), Is.EqualTo(Done));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void An_event_in_a_prologue_is_unwound_from_the_stack_pointer_the_pt_regs_saved(bool pushedBp)
    {
        var scene = OrcScenes.PageFaultInPrologue(pushedBp);

        var trace = OrcKernel.Walk(scene.Start);

        Assert.That(trace.Frames, Is.EqualTo((UnwindFrame[])
        [
            Current(HandlerDump), Call(PageFaultEntryRet, scene.EntrySlot), Regs(pushedBp ? Inner + 1 : Inner, scene.KernelRegs, user: false), .. scene.TaskTail,
        ]));
        Assert.That((trace.Done, trace.Error, trace.Caveats), Is.EqualTo(Done));
    }

    [Test]
    public void A_page_fault_is_crossed_through_the_pt_regs_the_entry_stubs_row_puts_at_the_stack_pointer()
    {
        var scene = Scenes.PageFault(Marks.None);

        var trace = OrcKernel.Walk(scene.Start);

        Assert.That(trace.Frames, Is.EqualTo((UnwindFrame[])
        [
            Current(HandlerDump), Call(PageFaultEntryRet, scene.EntrySlot), Regs(InnerFault, scene.KernelRegs, user: false), .. scene.TaskTail,
        ]));
        Assert.That((trace.Done, trace.Error, trace.Caveats), Is.EqualTo(Done));
    }

    [Test]
    public void The_irq_stack_is_left_through_its_top_word_to_the_pt_regs_on_the_task_stack()
    {
        var scene = Scenes.Irq(Marks.None);

        var trace = OrcKernel.Walk(scene.Start);

        Assert.That(trace.Frames, Is.EqualTo((UnwindFrame[])
        [
            Current(HandlerDump, StackKind.Irq), Call(IrqEntryRet, scene.EntrySlot, StackKind.Irq), Regs(InnerFault, scene.KernelRegs, user: false), .. scene.TaskTail,
        ]));
        Assert.That((trace.Done, trace.Error, trace.Caveats), Is.EqualTo(Done));
    }

    [Test]
    public void An_ist_stack_is_left_through_its_hardware_frame_to_the_interrupted_function()
    {
        var scene = Scenes.Ist(Marks.None);

        var trace = OrcKernel.Walk(scene.Start);

        Assert.That(trace.Frames, Is.EqualTo((UnwindFrame[])
        [
            Current(HandlerDump, StackKind.Ist), Call(PageFaultEntryRet, scene.EntrySlot, StackKind.Ist), Regs(InnerFault, scene.KernelRegs, user: false, StackKind.Ist), .. scene.TaskTail,
        ]));
        Assert.That((trace.Done, trace.Error, trace.Caveats), Is.EqualTo(Done));
    }

    [Test]
    public void An_nmi_in_entry_code_is_followed_by_the_iret_frame_alone_with_bp_from_the_nmis_pt_regs()
    {
        var scene = OrcScenes.NmiInEntry();
        ulong iretRegs = scene.IrqLinkSlot - PtRegsRip;

        var trace = OrcKernel.Walk(scene.Start);

        Assert.That(trace.Frames, Is.EqualTo((UnwindFrame[])
        [
            Current(HandlerDump, StackKind.Ist), Call(PageFaultEntryRet, scene.EntrySlot, StackKind.Ist), Regs(PageFaultEntry, scene.KernelRegs, user: false, StackKind.Ist),
            Regs(InnerFault, iretRegs, user: false), .. scene.TaskTail,
        ]));
        Assert.That((trace.Done, trace.Error, trace.Caveats), Is.EqualTo(Done));
    }

    [Test]
    public void The_frame_after_an_iret_frame_takes_bp_from_the_nmis_pt_regs_so_a_bad_one_there_stops_the_walk_after_it()
    {
        var scene = OrcScenes.NmiInEntry();
        scene.Memory[scene.KernelRegs + 0x20] = 0x1234;

        var trace = OrcKernel.Walk(scene.Start);

        Assert.That(trace.Frames, Has.Count.EqualTo(4), "the interrupted frame is found from the iret frame alone");
        Assert.That(trace.Error, Is.EqualTo(UnwindError.EndOfStack), "then %rbp, taken from the NMI's pt_regs, leads off the stacks");
    }

    [Test]
    public void An_iret_frame_right_at_the_start_has_no_pt_regs_before_it_and_keeps_the_starts_bp()
    {
        var scene = OrcScenes.NmiInEntry();

        var trace = OrcKernel.Walk(UnwindStart.FromRegisters(PageFaultEntry, scene.IrqLinkSlot, scene.InnerBp, scene.Memory, TestStacks.All));

        Assert.That(trace.Frames, Is.EqualTo((UnwindFrame[])[Current(PageFaultEntry), Regs(InnerFault, scene.IrqLinkSlot - PtRegsRip, user: false), .. scene.TaskTail]));
        Assert.That(trace.Done, Is.True);
    }

    [Test]
    public void A_sleeping_task_is_unwound_from_its_switch_frame()
    {
        var scene = Scenes.Sleeping();

        var trace = OrcKernel.Walk(scene.Start);

        Assert.That(trace.Frames, Is.EqualTo(Scenes.SleepingFrames(scene)));
        Assert.That((trace.Done, trace.Error, trace.Caveats), Is.EqualTo(Done));
    }

    [Test]
    public void A_walk_from_pt_regs_starts_at_the_interrupted_function()
    {
        var scene = Scenes.PageFault(Marks.None);

        var trace = OrcKernel.Walk(UnwindStart.FromPtRegs(scene.KernelRegs, scene.Memory, TestStacks.All));

        Assert.That(trace.Frames, Is.EqualTo((UnwindFrame[])[Regs(InnerFault, scene.KernelRegs, user: false), .. scene.TaskTail]));
        Assert.That(trace.Done, Is.True);
    }

    [Test]
    public void User_mode_pt_regs_end_the_walk_as_done()
    {
        var scene = Scenes.Syscall();

        var trace = OrcKernel.Walk(UnwindStart.FromPtRegs(scene.UserRegs, scene.Memory, TestStacks.All));

        Assert.That(trace.Frames, Is.EqualTo((UnwindFrame[])[Regs(UserRip, scene.UserRegs, user: true)]));
        Assert.That((trace.Done, trace.Error), Is.EqualTo((true, UnwindError.None)));
    }

    [Test]
    public void An_end_of_stack_hint_ends_a_kernel_threads_walk_as_done()
    {
        var scene = OrcScenes.KernelThreadAtEndHint();

        var trace = OrcKernel.Walk(scene.Start);

        Assert.That(trace.Frames, Is.EqualTo((UnwindFrame[])[Current(Middle + 0x10), Call(HandlerRet, scene.HandlerSlot), Call(UnrecordedEntryRet, scene.EntrySlot)]));
        Assert.That((trace.Done, trace.Error, trace.Caveats), Is.EqualTo(Done));
    }

    [Test]
    public void A_new_task_at_ret_from_fork_is_looked_up_at_its_exact_address_not_the_byte_before()
    {
        var scene = OrcScenes.NewTask();

        var trace = OrcKernel.Walk(scene.Start);

        Assert.That(trace.Frames, Is.EqualTo((UnwindFrame[])[Call(RetFromFork, scene.ScheduleSlot)]));
        Assert.That((trace.Done, trace.Error), Is.EqualTo((true, UnwindError.None)), $"the byte before ret_from_fork (0x{UnrecordedEntryTail:x}'s row) is undefined");
    }

    [Test]
    public void An_undefined_row_stops_the_walk_with_an_error()
    {
        var scene = Scenes.Syscall();

        var trace = OrcKernel.Walk(scene.Start with { Ip = PtRegsMarker });

        Assert.That(trace.Frames, Is.EqualTo((UnwindFrame[])[Current(PtRegsMarker)]));
        Assert.That((trace.Done, trace.Error), Is.EqualTo((false, UnwindError.UnusableOrcRow)));
    }

    [Test]
    public void An_address_no_row_covers_stops_the_walk_with_an_error()
    {
        var scene = Scenes.Syscall();
        var image = OrcKernel.Build(Rows.Where(r => r.Ip >= Inner));

        var trace = UnwindTrace.Collect(new OrcUnwinder(new UnwindImage(image)), scene.Start);

        Assert.That(trace.Frames, Is.EqualTo((UnwindFrame[])[Current(LeafRunning)]));
        Assert.That(trace.Error, Is.EqualTo(UnwindError.MissingOrcRow));
    }

    [Test]
    public void Without_orc_tables_every_walk_stops_at_its_first_step_and_nothing_is_vouched_for()
    {
        var scene = Scenes.Syscall();
        var unwinder = new OrcUnwinder(new UnwindImage(OrcKernel.Build(tables: false)));

        var trace = UnwindTrace.Collect(unwinder, scene.Start);

        Assert.That(trace.Frames, Has.Count.EqualTo(1));
        Assert.That(trace.Error, Is.EqualTo(UnwindError.MissingOrcRow));
        Assert.That(unwinder.CanVouch, Is.False);
    }

    [Test]
    public void A_row_whose_cfa_is_the_frames_own_stack_pointer_does_not_move_and_stops_with_wrong_direction()
    {
        var scene = Scenes.Syscall();
        var image = OrcKernel.Build(With((Leaf + 4, CallRow(OrcRegister.Sp, 0))));

        var trace = UnwindTrace.Collect(new OrcUnwinder(new UnwindImage(image)), scene.Start);

        Assert.That(trace.Frames, Has.Count.EqualTo(1));
        Assert.That(trace.Error, Is.EqualTo(UnwindError.WrongDirection));
    }

    [Test]
    public void Pt_regs_whose_stack_pointer_lies_below_the_last_frames_stop_with_wrong_direction()
    {
        var scene = Scenes.PageFault(Marks.None);
        scene.Memory[scene.KernelRegs + 0x98] = scene.KernelRegs - 0x40;

        var trace = OrcKernel.Walk(scene.Start);

        Assert.That(trace.Frames, Is.EqualTo((UnwindFrame[])[Current(HandlerDump), Call(PageFaultEntryRet, scene.EntrySlot)]));
        Assert.That(trace.Error, Is.EqualTo(UnwindError.WrongDirection));
    }

    [Test]
    public void A_cfa_based_on_r10_is_read_from_the_pt_regs_just_crossed_and_taken_as_it_is()
    {
        var scene = Scenes.PageFault(Marks.None);
        scene.Memory[scene.KernelRegs + PtRegsR10] = scene.InnerBp + 16;
        var image = OrcKernel.Build(With((Inner + 4, CallRow(OrcRegister.R10, 0x40, OrcRegister.PrevSp, -16))));

        var trace = UnwindTrace.Collect(new OrcUnwinder(new UnwindImage(image)), scene.Start);

        Assert.That(trace.Frames, Is.EqualTo((UnwindFrame[])
        [
            Current(HandlerDump), Call(PageFaultEntryRet, scene.EntrySlot), Regs(InnerFault, scene.KernelRegs, user: false), .. scene.TaskTail,
        ]));
    }

    [Test]
    public void A_cfa_based_on_r10_after_a_call_frame_stops_the_walk_with_an_error()
    {
        var scene = Scenes.Syscall();
        var image = OrcKernel.Build(With((Inner + 4, CallRow(OrcRegister.R10, 16, OrcRegister.PrevSp, -16))));

        var trace = UnwindTrace.Collect(new OrcUnwinder(new UnwindImage(image)), scene.Start);

        Assert.That(trace.Frames, Is.EqualTo((UnwindFrame[])[Current(LeafRunning), Call(InnerRet, scene.InnerSlot)]));
        Assert.That(trace.Error, Is.EqualTo(UnwindError.UnusableOrcRow));
    }

    [Test]
    public void A_return_address_that_is_not_kernel_text_stops_the_walk()
    {
        var scene = Scenes.Syscall();
        scene.Memory[scene.InnerSlot] = UserRip;

        var trace = OrcKernel.Walk(scene.Start);

        Assert.That(trace.Frames, Has.Count.EqualTo(1));
        Assert.That(trace.Error, Is.EqualTo(UnwindError.NotKernelText));
    }

    [Test]
    public void Orc_vouches_only_on_an_orc_image_with_its_tables()
    {
        Assert.That(OrcKernel.Unwinder().CanVouch, Is.True);
        Assert.That(new OrcUnwinder(new UnwindImage(OrcKernel.Build(defines: ["CONFIG_FRAME_POINTER"]))).CanVouch, Is.False, "tables, but not the ORC strategy");
        Assert.That(new OrcUnwinder(SyntheticKernel.Unwind).CanVouch, Is.False, "no tables");
    }

    [Test]
    public void Reliable_mode_vouches_for_call_frames_down_to_the_user_regs_or_an_end_hint()
    {
        foreach (var scene in new[] { Scenes.Syscall(), OrcScenes.FramelessCaller(), Scenes.Sleeping(), OrcScenes.KernelThreadAtEndHint() })
        {
            var result = Walker.Walk(OrcKernel.Unwinder(), scene.Start);

            Assert.That((result.Reliable, result.Refusal), Is.EqualTo((true, ReliableRefusal.None)), result.Reason);
            Assert.That(result.Frames, Is.EqualTo(OrcKernel.Walk(scene.Start).Frames));
        }
    }

    [Test]
    public void Reliable_mode_refuses_in_kernel_pt_regs_whole_or_partial()
    {
        var fault = Walker.Walk(OrcKernel.Unwinder(), Scenes.PageFault(Marks.None).Start);
        var nmi = OrcScenes.NmiInEntry();
        var partial = Walker.Walk(OrcKernel.Unwinder(), UnwindStart.FromRegisters(PageFaultEntry, nmi.IrqLinkSlot, nmi.InnerBp, nmi.Memory, TestStacks.All));

        Assert.That(fault.Refusal, Is.EqualTo(ReliableRefusal.InKernelRegs));
        Assert.That(partial.Refusal, Is.EqualTo(ReliableRefusal.InKernelRegs));
    }

    [Test]
    public void Reliable_mode_refuses_a_walk_that_stops_at_an_undefined_row()
    {
        var scene = Scenes.Syscall();

        var result = Walker.Walk(OrcKernel.Unwinder(), scene.Start with { Ip = PtRegsMarker });

        Assert.That(result.Refusal, Is.EqualTo(ReliableRefusal.UnwinderError));
        Assert.That(result.Reason, Does.Contain(nameof(UnwindError.UnusableOrcRow)));
    }
}
