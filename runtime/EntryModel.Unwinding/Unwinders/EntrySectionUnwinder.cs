using EntryModel.Unwinding.Image;

namespace EntryModel.Unwinding.Unwinders;

/// <summary>
/// <c>section</c>: entry code that calls C lives in its own section, and for each such call the
/// image records where pt_regs sits relative to the return address ("for each actual entry type,
/// the offset from the C handler frame to pt_regs is a foregone conclusion"). A return address in
/// entry code is followed by that pt_regs; one the image has no record for ends the walk.
/// </summary>
public sealed class EntrySectionUnwinder(UnwindImage image)
    : FramePointerUnwinder(image, image.EntryTextBounds.Low, image.EntryTextBounds.Span)
{
    // Asked at every reliable walk: decided once.
    private readonly bool canVouch = image.Marks(StrategyMarks.EntrySection) && image.EntryRegs.Count > 0;

    public override string Name => "section";

    public override string Description => "The %rbp chain plus the image's table of entry-code call sites: a return address there is followed by pt_regs at the recorded offset.";

    /// <summary>Only where the strategy records its entry call sites.</summary>
    public override bool CanVouch => canVouch;

    protected override int WalkCommonFrames(ref UnwindState state, Span<UnwindFrame> frames) =>
        WalkFrames(ref state, frames, new EntryCallMarks(Image, Marked));

    /// <summary>A return address between the first and the last entry code: in entry code, pt_regs follows at the recorded offset.</summary>
    protected override bool FollowMark(ref UnwindState state, StackInfo? from, ulong record, ulong callerBp, ulong ret)
    {
        if (!Land(ref state, from, record, callerBp, ret))
        {
            return false;
        }

        if (!Image.TryGetEntryCallRegs(ret, out var entry))
        {
            if (!Image.IsEntryText(ret))
            {
                // Not in entry code itself: an ordinary frame.
                return true;
            }

            // In entry code without a record: reported, but the walk cannot go on (the next step fails).
            state.Pending = 0;
            state.Bp = 0;
            state.Caveats |= UnwindCaveat.BoundariesUnmarked;
            state.Error = UnwindError.NoEntryRecord;
            return true;
        }

        ulong at = state.Slot + (ulong)entry.Offset;
        if (!entry.Indirect)
        {
            state.Pending = at;
            return true;
        }

        if (!state.Reach(at, 8) || !state.Read(at, out ulong regs))
        {
            return false;
        }

        state.Pending = regs;
        return true;
    }
}

/// <summary>
/// The section strategy's rule: a return address with an entry-call record has its pt_regs where
/// the record says; any other between the first and the last entry code is left to the unwinder's
/// step, which asks whether it is entry code (a search the loop does without: a call there would
/// cost every frame of the loop its registers).
/// </summary>
internal readonly struct EntryCallMarks(UnwindImage image, MarkedRange entryCode) : IFrameMarks
{
    public bool TryDecodeRegs(ulong bp, out ulong regs)
    {
        regs = 0;
        return false;
    }

    public bool IsMarked(ulong ret) => entryCode.Contains(ret);

    public MarkedRecord Follow(ulong ret) =>
        image.TryGetEntryCallRegs(ret, out var entry) ? new(MarkedRecordKind.EntryCall, entry.Offset, entry.Indirect) : default;
}
