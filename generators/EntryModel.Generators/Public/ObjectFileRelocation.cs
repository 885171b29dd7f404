namespace EntryModel.Generators.Public;

/// <summary>
/// A RELA entry as GNU as writes it: the field's offset in its section, the x86-64 psABI type
/// (R_X86_64_*), the symbol, and the addend. <see cref="AgainstSection"/>: the symbol is the
/// section symbol of the section named <see cref="Symbol"/> (GNU as's choice for local targets).
/// </summary>
public sealed class ObjectFileRelocation
{
    public ObjectFileRelocation(long offset, int type, string symbol, long addend, bool againstSection)
    {
        Offset = offset;
        Type = type;
        Symbol = symbol;
        Addend = addend;
        AgainstSection = againstSection;
    }

    public long Offset { get; }

    public int Type { get; }

    public string Symbol { get; }

    public long Addend { get; }

    public bool AgainstSection { get; }
}
