using EntryModel.Unwinding.Tests.Support;
using static EntryModel.Unwinding.Tests.Support.Frames;
using static EntryModel.Unwinding.Tests.Support.SyntheticKernel;

namespace EntryModel.Unwinding.Tests.Unwinders;

/// <summary>Leaving the IRQ and IST stacks along their links, and the caveat for leaving one unseen.</summary>
public sealed class StackCrossingTests
{
    [Test]
    public void The_walk_crosses_from_the_irq_stack_to_the_task_stack_at_the_word_at_the_irq_stacks_top()
    {
        var scene = Scenes.Irq(Marks.EncodedBp);

        var trace = scene.Walk("frame-encoded");

        Assert.That(scene.IrqLinkSlot, Is.EqualTo(TestStacks.Irq.High - 8));
        Assert.That(trace.Frames, Is.EqualTo((UnwindFrame[])
        [
            Current(HandlerDump, StackKind.Irq), Call(IrqEntryRet, scene.EntrySlot, StackKind.Irq),
            Regs(InnerFault, scene.KernelRegs, user: false), .. scene.TaskTail,
        ]));
        Assert.That((trace.Done, trace.Error, trace.Caveats), Is.EqualTo((true, UnwindError.None, UnwindCaveat.None)));
    }

    [Test]
    public void A_link_above_the_pt_regs_makes_them_lie_below_where_the_task_stack_was_left()
    {
        var scene = Scenes.Irq(Marks.EncodedBp);
        scene.Memory[scene.IrqLinkSlot] = scene.KernelRegs + 8;

        var trace = scene.Walk("frame-encoded");

        Assert.That(trace.Frames, Is.EqualTo((UnwindFrame[])[Current(HandlerDump, StackKind.Irq), Call(IrqEntryRet, scene.EntrySlot, StackKind.Irq)]));
        Assert.That(trace.Error, Is.EqualTo(UnwindError.WrongDirection));
    }

    [Test]
    public void A_link_to_no_known_stack_ends_the_walk_with_end_of_stack()
    {
        var scene = Scenes.Irq(Marks.EncodedBp);
        scene.Memory[scene.IrqLinkSlot] = UserSp;

        var trace = scene.Walk("frame-encoded");

        Assert.That(trace.Frames, Has.Count.EqualTo(2));
        Assert.That(trace.Error, Is.EqualTo(UnwindError.EndOfStack));
    }

    [Test]
    public void The_walk_leaves_an_ist_stack_for_the_stack_at_the_hardware_frames_rsp()
    {
        var scene = Scenes.Ist(Marks.EncodedBp);

        var trace = scene.Walk("frame-encoded");

        Assert.That(scene.KernelRegs + 0x98, Is.EqualTo(TestStacks.Ist.High - 16), "the pt_regs' RSP is the hardware frame's");
        Assert.That(trace.Frames, Is.EqualTo((UnwindFrame[])
        [
            Current(HandlerDump, StackKind.Ist), Call(PageFaultEntryRet, scene.EntrySlot, StackKind.Ist),
            Regs(InnerFault, scene.KernelRegs, user: false, StackKind.Ist), .. scene.TaskTail,
        ]));
        Assert.That((trace.Done, trace.Error, trace.Caveats), Is.EqualTo((true, UnwindError.None, UnwindCaveat.None)));
    }

    [Test]
    public void An_ist_hardware_frame_rsp_above_the_next_frame_stops_the_walk_with_wrong_direction()
    {
        var scene = Scenes.Ist(Marks.EncodedBp);
        scene.Memory[TestStacks.Ist.High - 16] = scene.InnerBp + 8;

        var trace = scene.Walk("frame-encoded");

        Assert.That(trace.Frames.Select(f => f.Kind), Is.EqualTo(new[] { UnwindFrameKind.Current, UnwindFrameKind.Call, UnwindFrameKind.Regs }));
        Assert.That(trace.Error, Is.EqualTo(UnwindError.WrongDirection));
    }

    [Test]
    public void Leaving_the_irq_stack_without_a_pt_regs_frame_sets_the_crossed_stack_caveat()
    {
        var scene = Scenes.Irq(Marks.None);

        var trace = scene.Walk("frame");

        Assert.That(trace.Frames, Is.EqualTo((UnwindFrame[])[Current(HandlerDump, StackKind.Irq), Call(IrqEntryRet, scene.EntrySlot, StackKind.Irq), .. scene.TaskTail]));
        Assert.That((trace.Done, trace.Caveats), Is.EqualTo((true, UnwindCaveat.CrossedStackWithoutRegs)));
    }

    [Test]
    public void Leaving_an_ist_stack_without_a_pt_regs_frame_sets_the_crossed_stack_caveat()
    {
        var scene = Scenes.Ist(Marks.None);

        var trace = scene.Walk("frame");

        Assert.That(trace.Frames, Is.EqualTo((UnwindFrame[])[Current(HandlerDump, StackKind.Ist), Call(PageFaultEntryRet, scene.EntrySlot, StackKind.Ist), .. scene.TaskTail]));
        Assert.That(trace.Caveats, Is.EqualTo(UnwindCaveat.CrossedStackWithoutRegs));
    }
}
