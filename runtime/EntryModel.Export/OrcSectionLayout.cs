namespace EntryModel.Export;

/// <summary>
/// Where an exported image holds its ORC tables, as vmlinux does: <c>.orc_unwind_ip</c> (4-byte
/// aligned), <c>.orc_unwind</c> (2-byte aligned) and <c>.orc_lookup</c> (4-byte aligned) one after
/// the other, here on the first page past the image's highest chunk (the machine maps no ORC
/// tables, so no chunk can be there), with the bounds symbols the kernel's unwinder reads; then the
/// <c>.eh_frame</c> derived from the rows (8-byte aligned), for gdb.
/// </summary>
public sealed class OrcSectionLayout
{
    public const string IpSection = ".orc_unwind_ip";
    public const string EntrySection = ".orc_unwind";
    public const string LookupSection = ".orc_lookup";
    public const string EhFrameSection = ".eh_frame";

    /// <summary>The lookup table's text bounds, as the kernel names them (absolute: no chunk of text need start or end exactly there).</summary>
    public const string TextStartSymbol = "_stext";
    public const string TextEndSymbol = "_etext";

    private const ulong PageSize = 0x1000;

    public OrcSectionLayout(KernelImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        Table = image.Orc ?? throw new ArgumentException($"{image} has no ORC tables", nameof(image));
        ulong highest = image.Chunks.Count == 0 ? 0 : image.Chunks.Max(c => c.End);
        IpAddress = AlignUp(highest, PageSize);
        EntryAddress = AlignUp(IpAddress + (ulong)Table.IpTableBytes, 2);
        LookupAddress = AlignUp(EntryAddress + (ulong)Table.EntryTableBytes, 4);
        EhFrameAddress = AlignUp(LookupAddress + (ulong)Table.LookupTableBytes, 8);
    }

    /// <summary>The symbols this layout adds to an image's own: the tables' bounds and the text they cover.</summary>
    public static IReadOnlyList<string> SymbolNames { get; } =
        ["__start_orc_unwind_ip", "__stop_orc_unwind_ip", "__start_orc_unwind", "__stop_orc_unwind", "orc_lookup", "orc_lookup_end", TextStartSymbol, TextEndSymbol];

    public OrcTable Table { get; }

    public ulong IpAddress { get; }

    public ulong EntryAddress { get; }

    public ulong LookupAddress { get; }

    /// <summary>Where <c>.eh_frame</c> starts, past <c>.orc_lookup</c>'s reservation.</summary>
    public ulong EhFrameAddress { get; }

    /// <summary>Each bound symbol with its section (null: absolute) and address.</summary>
    public IEnumerable<(string Name, string? Section, ulong Address)> Symbols()
    {
        yield return ("__start_orc_unwind_ip", IpSection, IpAddress);
        yield return ("__stop_orc_unwind_ip", IpSection, IpAddress + (ulong)Table.IpTableBytes);
        yield return ("__start_orc_unwind", EntrySection, EntryAddress);
        yield return ("__stop_orc_unwind", EntrySection, EntryAddress + (ulong)Table.EntryTableBytes);
        yield return ("orc_lookup", LookupSection, LookupAddress);
        yield return ("orc_lookup_end", LookupSection, LookupAddress + (ulong)Table.LookupTableBytes);
        yield return (TextStartSymbol, null, Table.TextStart);
        yield return (TextEndSymbol, null, Table.TextEnd);
    }

    private static ulong AlignUp(ulong value, ulong alignment) => (value + alignment - 1) & ~(alignment - 1);
}
