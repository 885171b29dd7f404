using EntryModel.Unwinding.Image;
using EntryModel.Unwinding.Tests.Support;
using EntryModel.Unwinding.Unwinders;
using static EntryModel.Unwinding.Tests.Support.Frames;
using static EntryModel.Unwinding.Tests.Support.SyntheticKernel;

namespace EntryModel.Unwinding.Tests.Unwinders;

/// <summary><c>frame-ptregs</c>: the fake frame whose return address is <c>pt_regs+1</c> leads to the pt_regs above it.</summary>
public sealed class PtRegsFrameUnwinderTests
{
    [Test]
    public void Frame_ptregs_follows_pt_regs_plus_1_to_the_regs_and_reports_the_interrupted_function()
    {
        var scene = Scenes.PageFault(Marks.FakeFrame);

        var trace = scene.Walk("frame-ptregs");

        Assert.That(trace.Frames, Is.EqualTo((UnwindFrame[])
        [
            Current(HandlerDump), Call(PageFaultEntryRet, scene.EntrySlot), Regs(InnerFault, scene.KernelRegs, user: false), .. scene.TaskTail,
        ]));
        Assert.That((trace.Done, trace.Error, trace.Caveats), Is.EqualTo((true, UnwindError.None, UnwindCaveat.None)));
    }

    [Test]
    public void Frame_ptregs_follows_a_fake_frame_on_the_irq_stack_to_regs_on_the_task_stack()
    {
        var scene = Scenes.Irq(Marks.FakeFrame);

        var trace = scene.Walk("frame-ptregs");

        Assert.That(trace.Frames, Is.EqualTo((UnwindFrame[])
        [
            Current(HandlerDump, StackKind.Irq), Call(IrqEntryRet, scene.EntrySlot, StackKind.Irq), Regs(InnerFault, scene.KernelRegs, user: false), .. scene.TaskTail,
        ]));
        Assert.That((trace.Done, trace.Caveats), Is.EqualTo((true, UnwindCaveat.None)));
    }

    [Test]
    public void A_fake_frame_whose_regs_pointer_leads_off_every_stack_stops_the_walk()
    {
        var scene = Scenes.PageFault(Marks.FakeFrame);
        scene.Memory[scene.EntrySlot + 24] = UserSp;

        var trace = scene.Walk("frame-ptregs");

        Assert.That(trace.Frames, Is.EqualTo((UnwindFrame[])[Current(HandlerDump), Call(PageFaultEntryRet, scene.EntrySlot)]));
        Assert.That(trace.Error, Is.EqualTo(UnwindError.EndOfStack));
    }

    [Test]
    public void Without_a_pt_regs_marker_in_the_image_the_fake_frame_is_an_ordinary_frame_record()
    {
        var scene = Scenes.PageFault(Marks.FakeFrame);
        var unwinder = new PtRegsFrameUnwinder(new UnwindImage(Build(marker: false)));

        var trace = UnwindTrace.Collect(unwinder, scene.Start);

        Assert.That(trace.Frames, Is.EqualTo((UnwindFrame[])
        [
            Current(HandlerDump), Call(PageFaultEntryRet, scene.EntrySlot), Call(PtRegsMarkerRet, scene.EntrySlot + 16), .. scene.TaskTail,
        ]));
    }
}
