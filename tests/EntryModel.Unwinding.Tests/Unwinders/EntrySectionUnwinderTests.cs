using EntryModel.Unwinding.Image;
using EntryModel.Unwinding.Tests.Support;
using EntryModel.Unwinding.Unwinders;
using static EntryModel.Unwinding.Tests.Support.Frames;
using static EntryModel.Unwinding.Tests.Support.SyntheticKernel;

namespace EntryModel.Unwinding.Tests.Unwinders;

/// <summary><c>section</c>: a return address into entry text is looked up in the image's <c>.entry_regs</c> rows.</summary>
public sealed class EntrySectionUnwinderTests
{
    [Test]
    public void Section_follows_a_direct_row_to_the_pt_regs_at_the_recorded_offset_from_the_return_address_slot()
    {
        var scene = Scenes.PageFault(Marks.None);

        var trace = scene.Walk("section");

        Assert.That(scene.EntrySlot + 8, Is.EqualTo(scene.KernelRegs), "the row's offset");
        Assert.That(trace.Frames, Is.EqualTo((UnwindFrame[])
        [
            Current(HandlerDump), Call(PageFaultEntryRet, scene.EntrySlot), Regs(InnerFault, scene.KernelRegs, user: false), .. scene.TaskTail,
        ]));
        Assert.That((trace.Done, trace.Error, trace.Caveats), Is.EqualTo((true, UnwindError.None, UnwindCaveat.None)));
    }

    [Test]
    public void Section_follows_an_indirect_row_through_the_pointer_on_the_irq_stack_to_regs_on_the_task_stack()
    {
        var scene = Scenes.Irq(Marks.RegsPointer);

        var trace = scene.Walk("section");

        Assert.That(trace.Frames, Is.EqualTo((UnwindFrame[])
        [
            Current(HandlerDump, StackKind.Irq), Call(IrqEntryRet, scene.EntrySlot, StackKind.Irq), Regs(InnerFault, scene.KernelRegs, user: false), .. scene.TaskTail,
        ]));
        Assert.That((trace.Done, trace.Error, trace.Caveats), Is.EqualTo((true, UnwindError.None, UnwindCaveat.None)));
    }

    [Test]
    public void An_entry_return_address_without_a_row_is_reported_and_then_stops_the_walk_with_NoEntryRecord()
    {
        var scene = Scenes.PageFault(Marks.None);
        scene.Memory[scene.EntrySlot] = UnrecordedEntryRet;

        var trace = scene.Walk("section");

        Assert.That(trace.Frames, Is.EqualTo((UnwindFrame[])[Current(HandlerDump), Call(UnrecordedEntryRet, scene.EntrySlot)]));
        Assert.That((trace.Done, trace.Error, trace.Caveats), Is.EqualTo((false, UnwindError.NoEntryRecord, UnwindCaveat.BoundariesUnmarked)));
    }

    [Test]
    public void Without_an_entry_regs_section_every_entry_return_address_is_unrecorded()
    {
        var scene = Scenes.PageFault(Marks.None);
        var unwinder = new EntrySectionUnwinder(new UnwindImage(Build(entryRegs: false)));

        var trace = UnwindTrace.Collect(unwinder, scene.Start);

        Assert.That(trace.Frames, Is.EqualTo((UnwindFrame[])[Current(HandlerDump), Call(PageFaultEntryRet, scene.EntrySlot)]));
        Assert.That(trace.Error, Is.EqualTo(UnwindError.NoEntryRecord));
    }
}
