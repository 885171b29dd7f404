namespace EntryModel.Unwinding.Printing;

/// <summary>
/// One line of a 2016-style kernel stack trace: the text address found on the stack, whether the
/// frame-pointer walk reached it (printed plain) or the scan merely found it (printed with <c>?</c>),
/// the stack slot it was found in, and the symbol text (<c>%pB</c>-style).
/// </summary>
public readonly record struct StackTraceLine(ulong Address, bool Reliable, ulong Slot, string Symbol)
{
    /// <summary>The line as the kernel printed it, without the log level's leading space.</summary>
    public override string ToString() => $"[<{Address:x16}>] {(Reliable ? string.Empty : "? ")}{Symbol}";
}
