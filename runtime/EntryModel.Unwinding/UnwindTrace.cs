using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace EntryModel.Unwinding;

/// <summary>
/// A whole walk, collected: its frames in order (frame 0 first), whether it reached the end of the
/// task's stack, the error that stopped it otherwise, and what the unwinder could not vouch for.
/// Collecting allocates; walking does not.
/// </summary>
public sealed record UnwindTrace(string Unwinder, IReadOnlyList<UnwindFrame> Frames, bool Done, UnwindError Error, UnwindCaveat Caveats)
{
    /// <summary>More frames than any stack of the model can hold: a belt over the unwinders' own guarantee that walks end.</summary>
    public const int MaxFrames = 1 << 16;

    /// <summary>The frames a trace shows: every frame but a running start's own position.</summary>
    public IEnumerable<UnwindFrame> Reported => Frames.Where(f => f.Kind != UnwindFrameKind.Current);

    /// <summary>Frames a walk asks its unwinder for at a time (<see cref="IUnwinder.NextFrames"/>).</summary>
    private const int Batch = 64;

    /// <summary>Walks to the end over <paramref name="state"/> (reused, nothing allocated) and counts the frames: for timing walks.</summary>
    [SkipLocalsInit]
    public static int Count(IUnwinder unwinder, in UnwindStart start, ref UnwindState state)
    {
        ArgumentNullException.ThrowIfNull(unwinder);
        if (!unwinder.Start(ref state, start))
        {
            return 0;
        }

        Span<UnwindFrame> batch = stackalloc UnwindFrame[Batch];
        int frames = 1;
        while (frames < MaxFrames)
        {
            int asked = Math.Min(Batch, MaxFrames - frames);
            int got = unwinder.NextFrames(ref state, batch[..asked]);
            frames += got;
            if (got < asked)
            {
                break;
            }
        }

        return frames;
    }

    public static UnwindTrace Collect(IUnwinder unwinder, in UnwindStart start)
    {
        ArgumentNullException.ThrowIfNull(unwinder);
        var frames = new List<UnwindFrame>();
        var state = default(UnwindState);
        Collect(unwinder, start, frames, ref state);
        return new UnwindTrace(unwinder.Name, frames, state.Done, state.Error, state.Caveats);
    }

    /// <summary>
    /// Walks to the end, appending each frame to <paramref name="frames"/> (cleared first; a caller
    /// that walks many stacks reuses one list and one state), and leaves the walk's end (done, error,
    /// caveats) in <paramref name="state"/>.
    /// </summary>
    public static void Collect(IUnwinder unwinder, in UnwindStart start, List<UnwindFrame> frames, ref UnwindState state)
    {
        ArgumentNullException.ThrowIfNull(unwinder);
        ArgumentNullException.ThrowIfNull(frames);
        frames.Clear();
        if (!unwinder.Start(ref state, start))
        {
            return;
        }

        frames.Add(UnwindFrame.Of(state));

        // Batches written straight into the list's own storage: no copy, no call per frame.
        while (frames.Count < MaxFrames)
        {
            int count = frames.Count;
            int asked = Math.Min(Batch, MaxFrames - count);
            CollectionsMarshal.SetCount(frames, count + asked);
            int got = unwinder.NextFrames(ref state, CollectionsMarshal.AsSpan(frames).Slice(count, asked));
            CollectionsMarshal.SetCount(frames, count + got);
            if (got < asked)
            {
                break;
            }
        }
    }
}
