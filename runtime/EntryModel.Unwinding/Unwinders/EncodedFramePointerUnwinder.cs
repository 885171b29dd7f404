using EntryModel.Unwinding.Image;

namespace EntryModel.Unwinding.Unwinders;

/// <summary>
/// <c>frame-encoded</c>: what Linux merged (ENCODE_FRAME_POINTER). Entry code points %rbp at
/// pt_regs with the low bit set before calling a handler, so a saved %rbp that is odd is not a frame
/// but <c>pt_regs + 1</c>: the walk continues from the registers saved there.
/// </summary>
public sealed class EncodedFramePointerUnwinder(UnwindImage image) : FramePointerUnwinder(image)
{
    // Asked at every reliable walk: decided once.
    private readonly bool canVouch = image.Marks(StrategyMarks.EncodedRbp);

    public override string Name => "frame-encoded";

    public override string Description => "The %rbp chain that decodes an odd %rbp as a pointer to pt_regs (Linux's ENCODE_FRAME_POINTER).";

    /// <summary>Only where the strategy encodes %rbp: elsewhere an odd %rbp is just corruption.</summary>
    public override bool CanVouch => canVouch;

    protected override int WalkCommonFrames(ref UnwindState state, Span<UnwindFrame> frames) =>
        WalkFrames(ref state, frames, default(EncodedRbpMarks));

    protected override bool Decode(ref UnwindState state, ulong bp) =>
        (bp & 1) != 0 ? EnterRegs(ref state, bp - 1) : EnterFrame(ref state, bp);
}

/// <summary>Linux's rule: an odd %rbp is <c>pt_regs + 1</c>; no return address is marked.</summary>
internal readonly struct EncodedRbpMarks : IFrameMarks
{
    public bool TryDecodeRegs(ulong bp, out ulong regs)
    {
        regs = bp - 1;
        return (bp & 1) != 0;
    }

    public bool IsMarked(ulong ret) => false;

    public MarkedRecord Follow(ulong ret) => default;
}
