using System.Runtime.CompilerServices;

namespace EntryModel.Unwinding.Image;

/// <summary>
/// The ORC row in force at each of the image's calls (looked up, as the unwinder looks a return
/// address up, at the byte before the address the call returns to), found once per image and kept
/// by return address in an open-addressed table. Almost every frame of a walk is a return address
/// that follows a call: one probe here replaces the lookup table, the block's row search and the
/// row read, which depend on one another load after load. Any other address (a corrupted word, a
/// call the image does not hold) is not here and takes <see cref="OrcTable.TryFind"/>, which
/// answers every address the same way: the rows here are copies of what it returns.
/// Immutable once built: shared by every walk on every thread.
/// </summary>
public sealed class OrcCallSiteRows
{
    // Return address 0 never follows a call in kernel text: it marks an empty slot.
    private const ulong Empty = 0;

    private readonly Slot[] slots;
    private readonly int shift;

    private OrcCallSiteRows(Slot[] slots, int shift)
    {
        this.slots = slots;
        this.shift = shift;
    }

    /// <summary>Call sites whose row the table holds.</summary>
    public int Count { get; private init; }

    /// <summary>The rows of <paramref name="table"/> at every call in <paramref name="calls"/> whose byte before the return address the table covers.</summary>
    public static OrcCallSiteRows Build(OrcTable table, CallSites calls)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(calls);

        // At most half full, so that a probe rarely goes past its first slot.
        int bits = 4;
        while ((1 << bits) < 2 * calls.Count)
        {
            bits++;
        }

        var slots = new Slot[1 << bits];
        int shift = 64 - bits;
        int count = 0;
        foreach (ulong ret in calls.ReturnAddresses)
        {
            if (ret == Empty || !table.TryFind(ret - 1, out var row))
            {
                continue;
            }

            int i = Home(ret, shift);
            while (slots[i].ReturnAddress != Empty)
            {
                i = (i + 1) & (slots.Length - 1);
            }

            slots[i] = new Slot(ret, row);
            count++;
        }

        return new OrcCallSiteRows(slots, shift) { Count = count };
    }

    /// <summary>The row in force at the call that returns to <paramref name="returnAddress"/>; false when no call of the image returns there.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryFind(ulong returnAddress, out OrcEntry row)
    {
        var all = slots;
        int mask = all.Length - 1;
        for (int i = Home(returnAddress, shift); ; i = (i + 1) & mask)
        {
            ref readonly var slot = ref all[i];
            if (slot.ReturnAddress == returnAddress && returnAddress != Empty)
            {
                row = slot.Row;
                return true;
            }

            if (slot.ReturnAddress == Empty)
            {
                row = default;
                return false;
            }
        }
    }

    /// <summary>Fibonacci hashing: the top bits of the address times 2^64/φ.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Home(ulong returnAddress, int shift) => (int)((returnAddress * 0x9E3779B97F4A7C15UL) >> shift);

    private readonly record struct Slot(ulong ReturnAddress, OrcEntry Row);
}
