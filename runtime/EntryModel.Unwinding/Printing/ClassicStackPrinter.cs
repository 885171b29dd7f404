using EntryModel.Unwinding.Image;

namespace EntryModel.Unwinding.Printing;

/// <summary>
/// The x86-64 stack dump of 2016 (<c>print_context_stack</c>), rebuilt on an unwinder (the
/// <c>frame</c> unwinder gives the 2016 output): every word from the start's stack pointer to the
/// end of the stack is scanned, and then the stacks its link leads to; a kernel text address in the
/// slot the unwinder reports next is on the chain and printed plain, and the unwinder moves on;
/// any other kernel text address is printed with <c>?</c>. Bounded by the stacks' extent.
/// </summary>
public sealed class ClassicStackPrinter
{
    private readonly UnwindImage image;

    public ClassicStackPrinter(UnwindImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        this.image = image;
    }

    public IReadOnlyList<StackTraceLine> Trace(IUnwinder unwinder, in UnwindStart start)
    {
        ArgumentNullException.ThrowIfNull(unwinder);
        var lines = new List<StackTraceLine>();
        var state = default(UnwindState);
        bool walking = unwinder.Start(ref state, start);
        if (walking && state.Kind == UnwindFrameKind.Current)
        {
            walking = unwinder.NextFrame(ref state);
        }

        ulong from = start.Kind == UnwindStartKind.Registers ? start.Sp : start.Address;
        if (!start.Stacks.TryGet(from, out var stack))
        {
            return lines;
        }

        ulong visited = stack.VisitBit;
        while (true)
        {
            for (ulong slot = from; stack.Contains(slot, 8); slot += 8)
            {
                if (!start.Memory.TryReadUInt64(slot, out ulong word) || !image.Text.Contains(word))
                {
                    continue;
                }

                bool onChain = walking && state.Slot == slot && state.Ip == word;
                lines.Add(new StackTraceLine(word, onChain, slot, BacktraceSymbolizer.FormatReturnAddress(image.Symbols, word)));
                if (onChain)
                {
                    walking = unwinder.NextFrame(ref state);
                }
            }

            if (!stack.TryGetNextSp(start.Memory, out ulong next) || !start.Stacks.TryGet(next, out var nextStack) || (visited & nextStack.VisitBit) != 0)
            {
                return lines;
            }

            visited |= nextStack.VisitBit;
            stack = nextStack;
            from = next;
        }
    }

    /// <summary>The trace's lines as text.</summary>
    public IReadOnlyList<string> Print(IUnwinder unwinder, in UnwindStart start) =>
        [.. Trace(unwinder, start).Select(line => line.ToString())];
}
