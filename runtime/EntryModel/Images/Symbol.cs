namespace EntryModel;

/// <summary>A kallsyms-like symbol: name, address, size and kind.</summary>
public readonly record struct Symbol(string Name, ulong Address, ulong Size, SymbolKind Kind, string Section)
{
    public ulong End => Address + Size;

    public bool Contains(ulong address) => address >= Address && address < End;
}
