using EntryModel.Unwinding.Image;

namespace EntryModel.Unwinding.Unwinders;

/// <summary>
/// <c>guess</c>: the kernel's unwind_guess. Every kernel text address found on the stack, word by
/// word from the start upward, is a frame; at the end of a stack the scan goes on along its link.
/// Stale return addresses and saved RIPs look the same as live ones, so it never vouches for a trace.
/// </summary>
public sealed class GuessUnwinder : IUnwinder
{
    private readonly KernelTextRange text;

    public GuessUnwinder(UnwindImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        text = image.Text;
    }

    public string Name => "guess";

    public string Description => "A scan of the stack for kernel text addresses (unwind_guess): finds stale addresses too.";

    public bool CanVouch => false;

    public bool Start(ref UnwindState state, in UnwindStart start)
    {
        if (!UnwindState.TryBegin(start, out state, out ulong at))
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

        // Word by word through the reader's 8-byte read (a TLB hit on the live machine's memory): a
        // window copied per frame cost more than the words it let the scan skip reading.
        var memory = state.Memory;
        ulong textStart = text.Start, textSize = text.End - text.Start;
        while (true)
        {
            var stack = state.Stack!;
            ulong at = state.Pending;
            if (at >= stack.Low && stack.High >= 8)
            {
                for (ulong last = stack.High - 8; at <= last; at += 8)
                {
                    if (!memory.TryReadUInt64(at, out ulong word))
                    {
                        state.Pending = at;
                        return state.Fail(UnwindError.UnreadableMemory);
                    }

                    // text.Contains(word), as one unsigned compare.
                    if (word - textStart < textSize)
                    {
                        state.Kind = UnwindFrameKind.Guess;
                        state.Ip = word;
                        state.Slot = at;
                        state.Sp = at + 8;
                        state.Pending = at + 8;
                        state.Frames++;
                        return true;
                    }
                }
            }

            state.Pending = at;
            if (!LeaveStack(ref state))
            {
                return false;
            }
        }
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
