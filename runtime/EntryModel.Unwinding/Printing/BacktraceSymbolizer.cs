using System.Globalization;

namespace EntryModel.Unwinding.Printing;

/// <summary>
/// Symbol text for trace lines. A return address is formatted as the kernel's <c>%pB</c> does: the
/// symbol is looked up for the byte before it (a call that ends its function still names that
/// function) and the printed offset is the address's own. An interrupted RIP from pt_regs (or any
/// exact address) is looked up as it is, as <c>%pS</c> does. Addresses outside every symbol print as hex.
/// </summary>
public static class BacktraceSymbolizer
{
    public static string FormatReturnAddress(SymbolTable symbols, ulong address)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        if (address != 0 && symbols.TryLookup(address - 1, out var symbol, out ulong offset))
        {
            return string.Create(CultureInfo.InvariantCulture, $"{symbol.Name}+0x{offset + 1:x}/0x{symbol.Size:x}");
        }

        return Hex(address);
    }

    public static string FormatAddress(SymbolTable symbols, ulong address)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        return symbols.Format(address) ?? Hex(address);
    }

    /// <summary>A frame's ip, by the rule its kind calls for.</summary>
    public static string Format(SymbolTable symbols, UnwindFrame frame) =>
        frame.IsReturnAddress ? FormatReturnAddress(symbols, frame.Ip) : FormatAddress(symbols, frame.Ip);

    private static string Hex(ulong address) => string.Create(CultureInfo.InvariantCulture, $"0x{address:x}");
}
