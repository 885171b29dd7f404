namespace EntryModel.Machine.Memory;

/// <summary>
/// One node of the persistent radix tree that maps the 36-bit virtual page number to pages, six
/// bits per level (six levels). Nodes from an older epoch are shared with snapshots and copied on
/// the way down to a write (path copying), which makes a snapshot O(1); small nodes keep that
/// first write after a snapshot cheap (six 512-byte copies, not four 4 KiB ones).
/// </summary>
internal sealed class PageDirectory
{
    public const int Bits = 6;
    public const int Fanout = 1 << Bits;
    public const int Levels = 36 / Bits;

    private PageDirectory(int epoch, PageDirectory?[]? children, Page?[]? pages)
    {
        Epoch = epoch;
        Children = children;
        Pages = pages;
    }

    public int Epoch { get; }

    /// <summary>Lower directories (upper levels), or null on the last level.</summary>
    public PageDirectory?[]? Children { get; }

    /// <summary>Pages (last level), or null on upper levels.</summary>
    public Page?[]? Pages { get; }

    public static PageDirectory Upper(int epoch) => new(epoch, new PageDirectory?[Fanout], null);

    public static PageDirectory Last(int epoch) => new(epoch, null, new Page?[Fanout]);

    public PageDirectory CopyFor(int epoch) =>
        new(epoch, (PageDirectory?[]?)Children?.Clone(), (Page?[]?)Pages?.Clone());
}
