namespace EntryModel.Generators.Encoding;

/// <summary>
/// GNU as's way out of a LEB128 that bounces between two sizes because a data alignment after it
/// undoes each change (relax_segment's rs_leb128_fudge): once two passes in a row saw a LEB128 grow
/// or shrink and such an alignment cancel it, the next alignment that shrinks while the LEB128 grows
/// gets a whole alignment's worth of extra fill, and the layout settles as GNU as's does. NOP padding
/// (code alignment) breaks the pattern, as in GNU as, which then loops ("Infinite loop").
/// </summary>
internal sealed class LebBounce
{
    private int state;
    private long stretch;

    public void StartPass() => stretch = 0;

    /// <summary>Whether an alignment about to change by <paramref name="growth"/> takes the extra fill.</summary>
    public bool AddsPadding(long growth) => growth < 0 && (state & 16) != 0 && (state & 15) >= 2;

    /// <summary>Records an item's change in size this pass (<paramref name="dataAlignment"/>: an alignment that pads with a fill, not NOPs).</summary>
    public void Grew(Item item, long growth, bool dataAlignment)
    {
        if (growth == 0)
        {
            return;
        }

        stretch += growth;
        if (item is LebItem)
        {
            state += 16;
        }
        else if (item is AlignItem && dataAlignment && (state & 16) != 0 && stretch == 0)
        {
            state += 16;
        }
        else
        {
            state = 0;
        }
    }

    public void EndPass() => state = stretch == 0 && (state & 16) == 0 && (state & -16) != 0 ? state + 1 : 0;
}
