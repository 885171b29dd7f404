namespace EntryModel.Unwinding.Printing;

/// <summary>
/// One line of a kernel stack trace: the text address, whether the unwinder's chain reached it
/// (printed plain) or a scan merely found it on the stack (printed with <c>?</c>), the stack slot it
/// was read from, and the symbol text. A line without an address (<see cref="Address"/> 0) is a
/// note the smart printer adds: an event boundary or saved registers.
/// </summary>
public readonly record struct StackTraceLine(ulong Address, bool OnChain, ulong Slot, string Symbol)
{
    /// <summary>A line of text that names no address (a boundary, a register dump).</summary>
    public static StackTraceLine Note(string text) => new(0, true, 0, text);

    public bool IsNote => Address == 0;

    /// <summary>The line as the kernel printed it, without the log level's leading space.</summary>
    public override string ToString() => IsNote ? Symbol : $"[<{Address:x16}>] {(OnChain ? string.Empty : "? ")}{Symbol}";
}
