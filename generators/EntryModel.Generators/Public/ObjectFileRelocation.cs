namespace EntryModel.Generators.Public;

/// <summary>
/// A relocation as GNU as writes it: the field's offset in its section, the psABI type
/// (R_X86_64_*, or R_386_* in an i386 object), the symbol, and the addend (an i386 object's REL
/// entry has none of its own: the field's bytes hold it). <see cref="AgainstSection"/>: the symbol is the
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
