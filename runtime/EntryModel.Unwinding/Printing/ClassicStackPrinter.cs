namespace EntryModel.Unwinding.Printing;

/// <summary>
/// The x86-64 stack dump of 2016 (<c>print_context_stack</c>): scans every word from the start
/// stack pointer to the end of the stack; a kernel text address lying exactly in the return-address
/// slot of the frame the frame-pointer walk expects next (<c>bp + 8</c>) is printed plain and the
/// walk moves on to <c>[bp]</c>; any other kernel text address is printed with <c>?</c>.
/// Bounded by the stack's extent: it never loops and never throws on bad memory.
/// </summary>
public sealed class ClassicStackPrinter
{
    private readonly SymbolTable symbols;
    private readonly KernelTextRange text;

    public ClassicStackPrinter(SymbolTable symbols, KernelTextRange text)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        this.symbols = symbols;
        this.text = text;
    }

    /// <summary>
    /// The trace of <paramref name="stack"/> from <paramref name="sp"/> upward, with the frame-pointer
    /// walk starting at <paramref name="bp"/> (the frame of the function that asked for the dump).
    /// </summary>
    public IReadOnlyList<StackTraceLine> Trace(IMemoryReader memory, StackBounds stack, ulong sp, ulong bp)
    {
        ArgumentNullException.ThrowIfNull(memory);
        var lines = new List<StackTraceLine>();
        if (!stack.Contains(sp))
        {
            return lines;
        }

        // Each step moves up by one word and stops at the stack's end: at most (High - Low) / 8 steps.
        for (ulong slot = sp; stack.Contains(slot); slot += 8)
        {
            bool last = slot > ulong.MaxValue - 8;
            if (!memory.TryReadUInt64(slot, out ulong word))
            {
                break;
            }

            if (!text.Contains(word))
            {
                if (last)
                {
                    break;
                }

                continue;
            }

            bool reliable = bp <= ulong.MaxValue - 8 && slot == bp + 8;
            if (reliable && !memory.TryReadUInt64(bp, out bp))
            {
                bp = 0;
            }

            lines.Add(new StackTraceLine(word, reliable, slot, BacktraceSymbolizer.Format(symbols, word)));
            if (last)
            {
                break;
            }
        }

        return lines;
    }

    /// <summary>The trace's lines as text.</summary>
    public IReadOnlyList<string> Print(IMemoryReader memory, StackBounds stack, ulong sp, ulong bp) =>
        [.. Trace(memory, stack, sp, bp).Select(line => line.ToString())];
}
