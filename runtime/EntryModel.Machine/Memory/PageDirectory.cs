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

    public int Epoch { get; private set; }

    /// <summary>Lower directories (upper levels), or null on the last level.</summary>
    public PageDirectory?[]? Children { get; }

    /// <summary>Pages (last level), or null on upper levels.</summary>
    public Page?[]? Pages { get; }

    public static PageDirectory Upper(int epoch) => new(epoch, new PageDirectory?[Fanout], null);

    public static PageDirectory Last(int epoch) => new(epoch, null, new Page?[Fanout]);

    public PageDirectory CopyFor(int epoch) =>
        new(epoch, (PageDirectory?[]?)Children?.Clone(), (Page?[]?)Pages?.Clone());

    /// <summary>
    /// This node, no longer reachable from any tree (its epoch was discarded by a restore), made
    /// the current epoch's copy of <paramref name="source"/> (same level), or emptied when null.
    /// </summary>
    public PageDirectory Reuse(int epoch, PageDirectory? source)
    {
        Epoch = epoch;
        if (Children is { } children)
        {
            if (source is null)
            {
                Array.Clear(children);
            }
            else
            {
                Array.Copy(source.Children!, children, Fanout);
            }
        }
        else if (source is null)
        {
            Array.Clear(Pages!);
        }
        else
        {
            Array.Copy(source.Pages!, Pages!, Fanout);
        }

        return this;
    }
}
