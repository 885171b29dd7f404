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
    private readonly ReturnAddressTable<OrcEntry> rows;

    // The common calls again, with only what the unwinder's loop over them needs: 16 bytes a slot.
    private readonly ReturnAddressTable<CommonCall> common;

    private OrcCallSiteRows(ReturnAddressTable<OrcEntry> rows, ReturnAddressTable<CommonCall> common)
    {
        this.rows = rows;
        this.common = common;
    }

    /// <summary>Call sites whose row the table holds.</summary>
    public int Count => rows.Count;

    /// <summary>The rows of <paramref name="table"/> at every call in <paramref name="calls"/> whose byte before the return address the table covers.</summary>
    public static OrcCallSiteRows Build(OrcTable table, CallSites calls)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(calls);
        var found = new List<(ulong ReturnAddress, OrcEntry Row)>();
        foreach (ulong ret in calls.ReturnAddresses)
        {
            if (ret != 0 && table.TryFind(ret - 1, out var row))
            {
                found.Add((ret, row));
            }
        }

        return new OrcCallSiteRows(
            new ReturnAddressTable<OrcEntry>(found),
            new ReturnAddressTable<CommonCall>(found.Where(f => IsCommonCall(f.Row)).Select(f => (f.ReturnAddress, CommonCall.Of(f.Row)))));
    }

    /// <summary>The row in force at the call that returns to <paramref name="returnAddress"/>; false when no call of the image returns there.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryFind(ulong returnAddress, out OrcEntry row) => rows.TryGetValue(returnAddress, out row);

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
        ref readonly var call = ref common.Find(returnAddress);
        if (Unsafe.IsNullRef(in call))
        {
            cfaOffset = 0;
            savedBpOffset = 0;
            return false;
        }

        cfaOffset = call.CfaOffset;
        savedBpOffset = call.SavedBpOffset;
        return true;
    }

    /// <summary>Whether <paramref name="row"/> is a common call frame (see <see cref="TryFindCommonCall"/>).</summary>
    private static bool IsCommonCall(OrcEntry row) =>
        row.Type == OrcType.Call && row.SpReg == OrcRegister.Sp && row.SpOffset >= 8
        && (row.BpReg == OrcRegister.Undefined || (row.BpReg == OrcRegister.PrevSp && row.BpOffset <= -16 && row.BpOffset >= -row.SpOffset));

    private readonly record struct CommonCall(uint CfaOffset, int SavedBpOffset)
    {
        public static CommonCall Of(OrcEntry row) => new((uint)row.SpOffset, row.BpReg == OrcRegister.PrevSp ? row.BpOffset : 0);
    }
}
