namespace EntryModel;

/// <summary>
/// Symbols sorted by address, looked up the way kallsyms does: the symbol with the greatest
/// start address not above the address, provided the address falls inside its size.
/// </summary>
public sealed class SymbolTable
{
    private readonly Symbol[] byAddress;
    private readonly Dictionary<string, Symbol> byName;

    public SymbolTable(IEnumerable<Symbol> symbols)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        byAddress = [.. symbols.OrderBy(s => s.Address).ThenByDescending(s => s.Size).ThenBy(s => s.Name, StringComparer.Ordinal)];
        byName = new Dictionary<string, Symbol>(StringComparer.Ordinal);
        foreach (var symbol in byAddress)
        {
            byName.TryAdd(symbol.Name, symbol);
        }
    }

    public IReadOnlyList<Symbol> All => byAddress;

    public Symbol this[string name] => byName.TryGetValue(name, out var s) ? s : throw new KeyNotFoundException($"no symbol '{name}'");

    public bool TryGet(string name, out Symbol symbol) => byName.TryGetValue(name, out symbol);

    /// <summary>Finds the symbol containing <paramref name="address"/>; labels lose to the innermost other symbol only when they start later.</summary>
    public bool TryLookup(ulong address, out Symbol symbol, out ulong offset)
    {
        int lo = 0, hi = byAddress.Length - 1, found = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (byAddress[mid].Address <= address)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        // Several symbols may start at or before the address (a label inside a function):
        // walk back to the nearest one whose extent covers the address.
        for (int i = found; i >= 0; i--)
        {
            if (byAddress[i].Contains(address))
            {
                symbol = byAddress[i];
                offset = address - symbol.Address;
                return true;
            }

            if (address - byAddress[i].Address > 0x100000)
            {
                break;
            }
        }

        symbol = default;
        offset = 0;
        return false;
    }

    /// <summary><c>name+0xoff/0xsize</c>, as the kernel's <c>%pS</c> prints it, or null when no symbol holds the address.</summary>
    public string? Format(ulong address)
    {
        return TryLookup(address, out var s, out var off) ? $"{s.Name}+0x{off:x}/0x{s.Size:x}" : null;
    }
}
