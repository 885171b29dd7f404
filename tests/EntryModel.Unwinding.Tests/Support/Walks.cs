namespace EntryModel.Unwinding.Tests.Support;

/// <summary>
/// A walk collected two ways: step by step through <see cref="IUnwinder.NextFrame"/> alone (the
/// reference), and in batches of a chosen size through <see cref="IUnwinder.NextFrames"/>, which
/// must reach the same frames and end in the same state.
/// </summary>
internal static class Walks
{
    /// <summary>Start, then NextFrame until false (at most <see cref="UnwindTrace.MaxFrames"/> frames).</summary>
    public static (List<UnwindFrame> Frames, UnwindState End) Stepwise(IUnwinder unwinder, in UnwindStart start)
    {
        var frames = new List<UnwindFrame>();
        var state = default(UnwindState);
        bool more = unwinder.Start(ref state, start);
        while (more)
        {
            frames.Add(UnwindFrame.Of(state));
            more = frames.Count < UnwindTrace.MaxFrames && unwinder.NextFrame(ref state);
        }

        return (frames, state);
    }

    /// <summary>Start, then NextFrames in batches of <paramref name="batch"/> until one comes back short.</summary>
    public static (List<UnwindFrame> Frames, UnwindState End) Batched(IUnwinder unwinder, in UnwindStart start, int batch)
    {
        var frames = new List<UnwindFrame>();
        var state = default(UnwindState);
        if (!unwinder.Start(ref state, start))
        {
            return (frames, state);
        }

        frames.Add(UnwindFrame.Of(state));
        var buffer = new UnwindFrame[batch];
        while (frames.Count < UnwindTrace.MaxFrames)
        {
            int got = unwinder.NextFrames(ref state, buffer);
            if (got < 0 || got > batch)
            {
                throw new InvalidOperationException($"NextFrames wrote {got} frames into a batch of {batch}");
            }

            frames.AddRange(buffer.AsSpan(0, got));
            if (got < batch)
            {
                break;
            }
        }

        return (frames, state);
    }

    /// <summary>
    /// Throws unless <paramref name="unwinder"/>'s batched walks of <paramref name="start"/> (batches
    /// of 1, 2, 3, 7 and 64 frames, and <see cref="UnwindTrace.Collect(IUnwinder, in UnwindStart)"/>)
    /// reach the frames of its step-by-step walk and end where it ends: frame, error, caveats,
    /// registers and stack.
    /// </summary>
    public static void ThrowUnlessBatchesWalkAsSteps(IUnwinder unwinder, in UnwindStart start)
    {
        var (frames, end) = Stepwise(unwinder, start);
        foreach (int batch in (int[])[1, 2, 3, 7, 64])
        {
            var (got, gotEnd) = Batched(unwinder, start, batch);
            if (!got.SequenceEqual(frames) || Ending(gotEnd) != Ending(end))
            {
                throw new InvalidOperationException(
                    $"{unwinder.Name}, batches of {batch}: {got.Count} frames ending {Ending(gotEnd)}, step by step {frames.Count} ending {Ending(end)}"
                    + $"; first difference at frame {got.Zip(frames).TakeWhile(p => p.First == p.Second).Count()}");
            }
        }

        var trace = UnwindTrace.Collect(unwinder, start);
        if (!trace.Frames.SequenceEqual(frames) || (trace.Done, trace.Error, trace.Caveats) != (end.Done, end.Error, end.Caveats))
        {
            throw new InvalidOperationException($"{unwinder.Name}: Collect gave {trace.Frames.Count} frames ({trace.Error}), step by step {frames.Count} ({end.Error})");
        }

        var counted = default(UnwindState);
        if (UnwindTrace.Count(unwinder, start, ref counted) != frames.Count)
        {
            throw new InvalidOperationException($"{unwinder.Name}: Count gave {UnwindTrace.Count(unwinder, start, ref counted)} frames, step by step {frames.Count}");
        }
    }

    /// <summary>Everything a finished walk's state says about where it ended.</summary>
    private static (UnwindFrameKind, ulong, ulong, ulong, ulong, ulong, ulong, bool, bool, ulong, StackInfo?, ulong, ulong, UnwindError, UnwindCaveat, bool, int, ulong) Ending(in UnwindState s) =>
        (s.Kind, s.Ip, s.Sp, s.Bp, s.Slot, s.Regs, s.PreviousRegs, s.PartialRegs, s.UserMode, s.Floor, s.Stack, s.StackMask, s.StackHigh, s.Error, s.Caveats, s.Done, s.Frames, s.Pending);
}
