using EntryModel.Unwinding.Image;

namespace EntryModel.Unwinding.Unwinders;

/// <summary>
/// <c>section</c>: entry code that calls C lives in its own section, and for each such call the
/// image records where pt_regs sits relative to the return address ("for each actual entry type,
/// the offset from the C handler frame to pt_regs is a foregone conclusion"). A return address in
/// entry code is followed by that pt_regs; one the image has no record for ends the walk.
/// </summary>
public sealed class EntrySectionUnwinder(UnwindImage image) : FramePointerUnwinder(image)
{
    // Asked at every reliable walk: decided once.
    private readonly bool canVouch = image.Marks(StrategyMarks.EntrySection) && image.EntryRegs.Count > 0;

    public override string Name => "section";

    public override string Description => "The %rbp chain plus the image's table of entry-code call sites: a return address there is followed by pt_regs at the recorded offset.";

    /// <summary>Only where the strategy records its entry call sites.</summary>
    public override bool CanVouch => canVouch;

    protected override bool Decode(ref UnwindState state, ulong bp)
    {
        if (!EnterFrame(ref state, bp))
        {
            return false;
        }

        if (!Image.IsEntryText(state.Ip))
        {
            // Most frames: an ordinary return address.
            return true;
        }

        if (!Image.TryGetEntryRegs(state.Ip, out var record))
        {
            // Reported, but the walk cannot go on: the next step fails.
            state.Pending = 0;
            state.Bp = 0;
            state.Caveats |= UnwindCaveat.BoundariesUnmarked;
            state.Error = UnwindError.NoEntryRecord;
            return true;
        }

        ulong at = state.Slot + (ulong)record.Offset;
        if (!record.Indirect)
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
