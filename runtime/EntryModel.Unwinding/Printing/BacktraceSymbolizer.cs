using System.Globalization;

namespace EntryModel.Unwinding.Printing;

/// <summary>
/// Formats a return address the way the kernel's <c>%pB</c> does: the symbol is looked up for the
/// byte before the address (a call that ends its function still names that function), and the
/// printed offset is the address's own. Addresses outside every symbol print as raw hex.
/// </summary>
public static class BacktraceSymbolizer
{
    public static string Format(SymbolTable symbols, ulong address)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        if (address != 0 && symbols.TryLookup(address - 1, out var symbol, out ulong offset))
        {
            return string.Create(CultureInfo.InvariantCulture, $"{symbol.Name}+0x{offset + 1:x}/0x{symbol.Size:x}");
        }

        return string.Create(CultureInfo.InvariantCulture, $"0x{address:x}");
    }
}
