using System.Runtime.InteropServices;
using EntryModel.Unwinding.Image;

namespace EntryModel.Unwinding.Unwinders;

/// <summary>
/// <c>guess</c>: the kernel's unwind_guess. Every kernel text address found on the stack, word by
/// word from the start upward, is a frame; at the end of a stack the scan goes on along its link.
/// Stale return addresses and saved RIPs look the same as live ones, so it never vouches for a trace.
/// </summary>
public sealed class GuessUnwinder : IUnwinder
{
    private readonly ulong textStart;
    private readonly ulong textSize;

    public GuessUnwinder(UnwindImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        textStart = image.Text.Start;
        textSize = image.Text.End - image.Text.Start;
    }

    public string Name => "guess";

    public string Description => "A scan of the stack for kernel text addresses (unwind_guess): finds stale addresses too.";

    public bool CanVouch => false;

    public bool Start(ref UnwindState state, in UnwindStart start)
    {
        if (!UnwindState.TryBegin(start, ref state, out ulong at))
        {
            return false;
        }

        state.Sp = at;
        state.Bp = start.Bp;
        state.Pending = at;
        if (start.Kind == UnwindStartKind.Registers)
        {
            state.Kind = UnwindFrameKind.Current;
            state.Ip = start.Ip;
            return true;
        }

        return NextFrame(ref state);
    }

    public bool NextFrame(ref UnwindState state)
    {
        if (state.Finished)
        {
            return false;
        }

        // A page at a time where the memory shows the page (a span scanned without a call per
        // word); otherwise a word through the memory's 8-byte read, which decides, and usually
        // shows that word's page for the words after it.
        var memory = state.Memory;
        while (true)
        {
            var stack = state.Stack!;
            ulong at = state.Pending;
            if (at >= stack.Low && stack.High >= 8)
            {
                ulong last = stack.High - 8;
                while (at <= last)
                {
                    var scanned = ShownWords(state, at, last);
                    if (!scanned.IsEmpty)
                    {
                        int hit = FirstText(scanned);
                        if (hit >= 0)
                        {
                            return Found(ref state, at + ((ulong)hit * 8), scanned[hit]);
                        }

                        at += (ulong)scanned.Length * 8;
                        continue;
                    }

                    if (!memory.TryReadUInt64(at, out ulong word))
                    {
                        state.Pending = at;
                        return state.Fail(UnwindError.UnreadableMemory);
                    }

                    // text.Contains(word), as one unsigned compare.
                    if (word - textStart < textSize)
                    {
                        return Found(ref state, at, word);
                    }

                    at += 8;
                }
            }

            state.Pending = at;
            if (!LeaveStack(ref state))
            {
                return false;
            }
        }
    }

    /// <summary>
    /// Frames in a row (see <see cref="IUnwinder.NextFrames"/>): the scan of the page the memory
    /// shows in a loop of its own, every text address on it a frame; the rest (another page, the
    /// end of a stack) through <see cref="NextFrame"/>.
    /// </summary>
    public int NextFrames(ref UnwindState state, Span<UnwindFrame> frames)
    {
        int count = 0;
        while (count < frames.Length)
        {
            count += ScanShownPage(ref state, frames[count..]);
            if (count == frames.Length || !NextFrame(ref state))
            {
                break;
            }

            frames[count++] = UnwindFrame.Of(state);
        }

        return count;
    }

    /// <summary>
    /// Scans the words from the scan's position to the end of the shown page (or of the stack, if
    /// that comes first), writing a frame for each text address, until <paramref name="frames"/> is
    /// full; returns how many. The position moves past what was scanned, so <see cref="NextFrame"/>
    /// goes on from there exactly as if it had scanned those words itself.
    /// </summary>
    private int ScanShownPage(ref UnwindState state, Span<UnwindFrame> frames)
    {
        if (frames.IsEmpty || state.Finished || state.Stack is not { } stack || stack.High < 8 || state.Pending < stack.Low || state.Pending > stack.High - 8)
        {
            return 0;
        }

        ulong at = state.Pending;
        var scanned = ShownWords(state, at, stack.High - 8);
        int count = 0, scannedTo = 0;
        while (count < frames.Length)
        {
            int hit = FirstText(scanned[scannedTo..]);
            if (hit < 0)
            {
                scannedTo = scanned.Length;
                break;
            }

            scannedTo += hit;
            frames[count++] = new UnwindFrame(UnwindFrameKind.Guess, scanned[scannedTo], at + ((ulong)scannedTo * 8), 0, false, stack.Kind);
            scannedTo++;
        }

        if (count > 0)
        {
            // Where Found would have left the state on the last of them.
            ulong slot = frames[count - 1].Slot;
            state.Kind = UnwindFrameKind.Guess;
            state.Ip = frames[count - 1].Ip;
            state.Slot = slot;
            state.Sp = slot + 8;
            state.Frames += count;
        }

        state.Pending = at + ((ulong)scannedTo * 8);
        return count;
    }

    /// <summary>
    /// The words from <paramref name="at"/> to <paramref name="last"/> (inclusive) that lie on the
    /// page the memory shows, read without a call; empty when that page is not shown.
    /// </summary>
    private static ReadOnlySpan<ulong> ShownWords(in UnwindState state, ulong at, ulong last)
    {
        var bytes = state.Shown(at);
        ulong inPage = (ulong)bytes.Length / 8, onStack = ((last - at) / 8) + 1;
        return MemoryMarshal.Cast<byte, ulong>(bytes)[..(int)Math.Min(inPage, onStack)];
    }

    /// <summary>The index of the first of <paramref name="words"/> that is kernel text, or -1.</summary>
    private int FirstText(ReadOnlySpan<ulong> words)
    {
        ulong start = textStart, size = textSize;
        for (int i = 0; i < words.Length; i++)
        {
            if (words[i] - start < size)
            {
                return i;
            }
        }

        return -1;
    }

    private static bool Found(ref UnwindState state, ulong slot, ulong word)
    {
        state.Kind = UnwindFrameKind.Guess;
        state.Ip = word;
        state.Slot = slot;
        state.Sp = slot + 8;
        state.Pending = slot + 8;
        state.Frames++;
        return true;
    }

    private static bool LeaveStack(ref UnwindState state)
    {
        var stack = state.Stack!;
        if (!stack.TryGetNextSp(state.Memory, out ulong nextSp) || !state.Stacks.TryGet(nextSp, out var next))
        {
            // A task stack links nowhere: the scan has reached its end.
            return stack.Kind == StackKind.Task ? state.Finish() : state.Fail(UnwindError.EndOfStack);
        }

        if ((state.StackMask & next.VisitBit) != 0)
        {
            return state.Fail(UnwindError.StackRevisited);
        }

        state.StackMask |= next.VisitBit;
        state.Stack = next;
        state.Floor = nextSp;
        state.Pending = nextSp;
        return true;
    }
}
