using EntryModel.Unwinding.Image;

namespace EntryModel.Unwinding.Unwinders;

/// <summary>
/// <c>frame-ptregs</c>: the seed's patch. Entry code pushes a fake frame (regs pointer,
/// <c>pt_regs+1</c>, %rbp) before calling a handler; a frame record whose return address is
/// <c>pt_regs+1</c> is that fake frame, and the pointer above it leads to the pt_regs, from whose
/// saved RIP, RSP and RBP the walk goes on: the interrupted function is found, not skipped.
/// </summary>
public sealed class PtRegsFrameUnwinder(UnwindImage image) : FramePointerUnwinder(image)
{
    // Asked at every reliable walk: decided once.
    private readonly bool canVouch = image.Marks(StrategyMarks.PtRegsFrame) && image.PtRegsMarkerReturn != 0;

    // Compared with every return address: kept at hand.
    private readonly ulong markerReturn = image.PtRegsMarkerReturn;

    public override string Name => "frame-ptregs";

    public override string Description => "The %rbp chain that recognises the fake pt_regs frame (return address pt_regs+1) and continues from the saved registers.";

    /// <summary>Only where the strategy pushes the fake frame and the image has the pt_regs function it returns to.</summary>
    public override bool CanVouch => canVouch;

    protected override bool? FollowMark(ref UnwindState state, ulong record, ulong ret)
    {
        if (ret != markerReturn || ret == 0)
        {
            return null;
        }

        return state.Reach(record, FrameRecordSize + 8)
            && state.Read(record + FrameRecordSize, out ulong regs)
            && EnterRegs(ref state, regs);
    }
}
