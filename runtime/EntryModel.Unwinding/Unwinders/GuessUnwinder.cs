using EntryModel.Unwinding.Image;

namespace EntryModel.Unwinding.Unwinders;

/// <summary>
/// <c>guess</c>: the kernel's unwind_guess. Every kernel text address found on the stack, word by
/// word from the start upward, is a frame; at the end of a stack the scan goes on along its link.
/// Stale return addresses and saved RIPs look the same as live ones, so it never vouches for a trace.
/// </summary>
public sealed class GuessUnwinder : IUnwinder
{
    private const int WindowWords = 32;
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

        Span<ulong> window = stackalloc ulong[WindowWords];
        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(window);
        while (true)
        {
            var stack = state.Stack!;
            ulong at = state.Pending;
            if (!stack.Contains(at, 8))
            {
                if (!LeaveStack(ref state))
                {
                    return false;
                }

                continue;
            }

            // A window of words up to the stack's end and the page's end (one host read, then a scan).
            ulong pageEnd = (at | 0xfff) + 1;
            ulong end = Math.Min(stack.High, Math.Min(pageEnd, at + (WindowWords * 8)));
            int words = (int)((end - at) / 8);
            if (words == 0 || !state.Memory.TryRead(at, bytes[..(words * 8)]))
            {
                return state.Fail(UnwindError.UnreadableMemory);
            }

            for (int i = 0; i < words; i++)
            {
                if (text.Contains(window[i]))
                {
                    state.Kind = UnwindFrameKind.Guess;
                    state.Ip = window[i];
                    state.Slot = at + ((ulong)i * 8);
                    state.Sp = state.Slot + 8;
                    state.Pending = state.Slot + 8;
                    state.Frames++;
                    return true;
                }
            }

            state.Pending = at + ((ulong)words * 8);
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
