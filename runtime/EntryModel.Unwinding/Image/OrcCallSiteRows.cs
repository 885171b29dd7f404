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

    // The common calls again, with only what the unwinder's loop over them needs: 16 bytes a slot.
    private readonly CommonSlot[] commonSlots;
    private readonly int commonShift;

    private OrcCallSiteRows(Slot[] slots, int shift, CommonSlot[] commonSlots, int commonShift)
    {
        this.slots = slots;
        this.shift = shift;
        this.commonSlots = commonSlots;
        this.commonShift = commonShift;
    }

    /// <summary>Call sites whose row the table holds.</summary>
    public int Count { get; private init; }

    /// <summary>The rows of <paramref name="table"/> at every call in <paramref name="calls"/> whose byte before the return address the table covers.</summary>
    public static OrcCallSiteRows Build(OrcTable table, CallSites calls)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(calls);

        var rows = new List<(ulong ReturnAddress, OrcEntry Row)>();
        foreach (ulong ret in calls.ReturnAddresses)
        {
            if (ret != Empty && table.TryFind(ret - 1, out var row))
            {
                rows.Add((ret, row));
            }
        }

        var common = rows.Where(r => IsCommonCall(r.Row)).ToList();
        var slots = new Slot[SizeFor(rows.Count, out int shift)];
        foreach (var (ret, row) in rows)
        {
            slots[Free(slots, ret, shift)] = new Slot(ret, row);
        }

        var commonSlots = new CommonSlot[SizeFor(common.Count, out int commonShift)];
        foreach (var (ret, row) in common)
        {
            int savedBp = row.BpReg == OrcRegister.PrevSp ? row.BpOffset : 0;
            commonSlots[Free(commonSlots, ret, commonShift)] = new CommonSlot(ret, (uint)row.SpOffset, savedBp);
        }

        return new OrcCallSiteRows(slots, shift, commonSlots, commonShift) { Count = rows.Count };
    }

    /// <summary>The row in force at the call that returns to <paramref name="returnAddress"/>; false when no call of the image returns there.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryFind(ulong returnAddress, out OrcEntry row)
    {
        ref readonly var slot = ref Find(slots, shift, returnAddress);
        bool found = !Unsafe.IsNullRef(in slot);
        row = found ? slot.Row : default;
        return found;
    }

    /// <summary>
    /// Whether the call that returns to <paramref name="returnAddress"/> has a common call frame:
    /// the CFA at %rsp plus <paramref name="cfaOffset"/> (at least 8), the return address just below
    /// it, and the caller's %rbp either untouched (<paramref name="savedBpOffset"/> 0) or saved in
    /// the frame below the return address, at the CFA plus <paramref name="savedBpOffset"/> (from
    /// -<paramref name="cfaOffset"/> to -16). False for any other row, and for an address no call
    /// of the image returns to. Decided once per call site rather than at every frame.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryFindCommonCall(ulong returnAddress, out uint cfaOffset, out int savedBpOffset)
    {
        ref readonly var slot = ref Find(commonSlots, commonShift, returnAddress);
        if (Unsafe.IsNullRef(in slot))
        {
            cfaOffset = 0;
            savedBpOffset = 0;
            return false;
        }

        cfaOffset = slot.CfaOffset;
        savedBpOffset = slot.SavedBpOffset;
        return true;
    }

    /// <summary>Whether <paramref name="row"/> is a common call frame (see <see cref="TryFindCommonCall"/>).</summary>
    public static bool IsCommonCall(OrcEntry row) =>
        row.Type == OrcType.Call && row.SpReg == OrcRegister.Sp && row.SpOffset >= 8
        && (row.BpReg == OrcRegister.Undefined || (row.BpReg == OrcRegister.PrevSp && row.BpOffset <= -16 && row.BpOffset >= -row.SpOffset));

    /// <summary>Slots for <paramref name="count"/> entries, at most half full so that a probe rarely goes past its first slot (at least 16).</summary>
    private static int SizeFor(int count, out int shift)
    {
        int bits = 4;
        while ((1 << bits) < 2 * count)
        {
            bits++;
        }

        shift = 64 - bits;
        return 1 << bits;
    }

    /// <summary>The first empty slot from <paramref name="returnAddress"/>'s home on (the table is never full).</summary>
    private static int Free<T>(T[] slots, ulong returnAddress, int shift)
        where T : struct, IReturnAddressSlot
    {
        int i = Home(returnAddress, shift);
        while (slots[i].ReturnAddress != Empty)
        {
            i = (i + 1) & (slots.Length - 1);
        }

        return i;
    }

    /// <summary>The slot holding <paramref name="returnAddress"/>, or a null reference: a probe from its home to the first empty slot.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref readonly T Find<T>(T[] slots, int shift, ulong returnAddress)
        where T : struct, IReturnAddressSlot
    {
        int mask = slots.Length - 1;
        for (int i = Home(returnAddress, shift); ; i = (i + 1) & mask)
        {
            ref readonly var slot = ref slots[i];
            if (slot.ReturnAddress == returnAddress && returnAddress != Empty)
            {
                return ref slot;
            }

            if (slot.ReturnAddress == Empty)
            {
                return ref Unsafe.NullRef<T>();
            }
        }
    }

    /// <summary>Fibonacci hashing: the top bits of the address times 2^64/φ.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Home(ulong returnAddress, int shift) => (int)((returnAddress * 0x9E3779B97F4A7C15UL) >> shift);

    /// <summary>A slot of one of the tables, keyed by return address (0: empty).</summary>
    private interface IReturnAddressSlot
    {
        ulong ReturnAddress { get; }
    }

    private readonly record struct Slot(ulong ReturnAddress, OrcEntry Row) : IReturnAddressSlot;

    private readonly record struct CommonSlot(ulong ReturnAddress, uint CfaOffset, int SavedBpOffset) : IReturnAddressSlot;
}
