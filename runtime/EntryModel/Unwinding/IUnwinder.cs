namespace EntryModel;

/// <summary>
/// An unwinder, shaped like the kernel's unwind API: <see cref="Start"/> puts the state on the first
/// frame, <see cref="NextFrame"/> moves to the next one and returns false when the walk is done or failed
/// (<see cref="UnwindState.Done"/>, <see cref="UnwindState.Error"/>). Neither throws, neither loops:
/// every step moves up a stack or across a stack link that is taken at most once.
/// </summary>
public interface IUnwinder
{
    /// <summary>The name commands use (<c>frame</c>, <c>frame-ptregs</c>, ...).</summary>
    string Name { get; }

    string Description { get; }

    /// <summary>
    /// Whether reliable mode may trust this unwinder on its image at all: the image's strategy marks
    /// every pt_regs in the way this unwinder reads. One that cannot (a scan, a plain %rbp chain, or an
    /// unwinder made for another strategy's marks) is refused by reliable mode outright.
    /// </summary>
    bool CanVouch { get; }

    /// <summary>Puts <paramref name="state"/> on the first frame; returns false when there is none (see the state's error).</summary>
    bool Start(ref UnwindState state, in UnwindStart start);

    /// <summary>Moves to the next frame; false when the walk is over.</summary>
    bool NextFrame(ref UnwindState state);

    /// <summary>
    /// Moves on frame after frame, as <see cref="NextFrame"/> does, writing each frame reached into
    /// <paramref name="frames"/> in order, until the span is full or the walk is over; returns how
    /// many it wrote (fewer than the span holds only when the walk is over). The state ends where
    /// the last <see cref="NextFrame"/> would have left it. The kernel's stack-trace savers loop
    /// over the next frame in the same way; an unwinder overrides this to walk the common frames
    /// without a call per frame.
    /// </summary>
    int NextFrames(ref UnwindState state, Span<UnwindFrame> frames)
    {
        int count = 0;
        while (count < frames.Length && NextFrame(ref state))
        {
            frames[count++] = UnwindFrame.Of(state);
        }

        return count;
    }
}
