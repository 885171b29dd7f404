using EntryModel.Unwinding.Tests.Support;
using static EntryModel.Unwinding.Tests.Support.Frames;
using static EntryModel.Unwinding.Tests.Support.SyntheticKernel;

namespace EntryModel.Unwinding.Tests.Unwinders;

/// <summary><c>frame-encoded</c>: an odd saved %rbp is <c>pt_regs + 1</c>.</summary>
public sealed class EncodedFramePointerUnwinderTests
{
    [Test]
    public void Frame_encoded_decodes_an_odd_rbp_as_the_pt_regs_below_it()
    {
        var scene = Scenes.PageFault(Marks.EncodedBp);

        var trace = scene.Walk("frame-encoded");

        Assert.That(scene.Memory.TryReadUInt64(scene.EntrySlot - 8, out ulong savedBp) && savedBp == scene.KernelRegs + 1, "handler saved the encoded %rbp");
        Assert.That(trace.Frames, Is.EqualTo((UnwindFrame[])
        [
            Current(HandlerDump), Call(PageFaultEntryRet, scene.EntrySlot), Regs(InnerFault, scene.KernelRegs, user: false), .. scene.TaskTail,
        ]));
        Assert.That((trace.Done, trace.Error, trace.Caveats), Is.EqualTo((true, UnwindError.None, UnwindCaveat.None)));
    }

    [Test]
    public void An_odd_rbp_in_the_registers_start_is_decoded_too()
    {
        var scene = Scenes.PageFault(Marks.EncodedBp);
        var start = UnwindStart.FromRegisters(PageFaultEntry + 8, scene.EntrySlot, scene.KernelRegs + 1, scene.Memory, TestStacks.All);

        var trace = UnwindTrace.Collect(Unwinder("frame-encoded"), start);

        Assert.That(trace.Frames, Is.EqualTo((UnwindFrame[])[Current(PageFaultEntry + 8), Regs(InnerFault, scene.KernelRegs, user: false), .. scene.TaskTail]));
    }

    [Test]
    public void An_odd_rbp_pointing_below_the_previous_frame_is_wrong_direction()
    {
        var scene = Scenes.PageFault(Marks.EncodedBp);
        scene.Memory[scene.EntrySlot - 8] = scene.EntrySlot - 0x40 + 1;

        var trace = scene.Walk("frame-encoded");

        Assert.That(trace.Frames, Is.EqualTo((UnwindFrame[])[Current(HandlerDump), Call(PageFaultEntryRet, scene.EntrySlot)]));
        Assert.That(trace.Error, Is.EqualTo(UnwindError.WrongDirection));
    }
}
