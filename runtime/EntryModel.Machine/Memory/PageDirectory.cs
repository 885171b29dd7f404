namespace EntryModel.Machine.Memory;

/// <summary>
/// One node of the persistent radix tree that maps virtual page numbers to pages, nine bits per
/// level like the hardware's page tables. Nodes from an older epoch are shared with snapshots and
/// copied on the way down to a write (path copying), which makes a snapshot O(1).
/// </summary>
internal sealed class PageDirectory
{
    public const int Fanout = 512;

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

    public int Count { get; set; }

    public static PageDirectory Upper(int epoch) => new(epoch, new PageDirectory?[Fanout], null);

    public static PageDirectory Last(int epoch) => new(epoch, null, new Page?[Fanout]);

    public PageDirectory CopyFor(int epoch) =>
        new(epoch, (PageDirectory?[]?)Children?.Clone(), (Page?[]?)Pages?.Clone()) { Count = Count };
}
