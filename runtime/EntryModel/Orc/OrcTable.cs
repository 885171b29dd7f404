namespace EntryModel;

/// <summary>
/// An image's ORC tables as the kernel holds them: rows sorted by address (<c>.orc_unwind_ip</c>
/// and <c>.orc_unwind</c>), each row covering the addresses from its own up to the next row's, and
/// the fast lookup table (<c>orc_lookup</c>): for every 256-byte block of text from
/// <see cref="TextStart"/> to <see cref="TextEnd"/>, the index of the row in force at the block's
/// start. Finding a row is a table index, then a binary search over at most one block's rows.
/// </summary>
public sealed class OrcTable
{
    /// <summary>The kernel's LOOKUP_BLOCK_SIZE: 1 &lt;&lt; LOOKUP_BLOCK_ORDER (8).</summary>
    public const int LookupBlockSize = 256;

    private readonly ulong[] ips;
    private readonly OrcEntry[] entries;
    private readonly uint[] lookup;

    /// <summary>Each row's address less <see cref="TextStart"/>: the search reads 4 bytes a row, not 8.</summary>
    private readonly uint[] offsets;

    public OrcTable(IReadOnlyList<ulong> ips, IReadOnlyList<OrcEntry> entries, ulong textStart, ulong textEnd)
    {
        ArgumentNullException.ThrowIfNull(ips);
        ArgumentNullException.ThrowIfNull(entries);
        if (ips.Count != entries.Count)
        {
            throw new ArgumentException("one address per row", nameof(ips));
        }

        for (int i = 1; i < ips.Count; i++)
        {
            if (ips[i] <= ips[i - 1])
            {
                throw new ArgumentException($"rows must be sorted by address without repeats (row {i} at 0x{ips[i]:x})", nameof(ips));
            }
        }

        this.ips = [.. ips];
        this.entries = [.. entries];
        TextStart = textStart;
        TextEnd = Math.Max(textStart, textEnd);
        if (TextEnd - TextStart >= uint.MaxValue)
        {
            throw new ArgumentException("the text an ORC table covers must be under 4 GiB", nameof(textEnd));
        }

        lookup = BuildLookup(this.ips, TextStart, TextEnd);

        // Rows before the text are in force from its start; rows far past its end are never in force in it.
        offsets = [.. this.ips.Select(a => a < TextStart ? 0u : (uint)Math.Min(a - TextStart, uint.MaxValue))];
    }

    public IReadOnlyList<ulong> Ips => ips;

    public IReadOnlyList<OrcEntry> Entries => entries;

    /// <summary>The fast lookup table: one row index per block, plus one past the last block.</summary>
    public IReadOnlyList<uint> Lookup => lookup;

    /// <summary>Where the lookup table's blocks start (the kernel's <c>_stext</c>).</summary>
    public ulong TextStart { get; }

    /// <summary>Where they end (<c>_etext</c>).</summary>
    public ulong TextEnd { get; }

    public int Count => ips.Length;

    /// <summary>Bytes of <c>.orc_unwind_ip</c>: one 32-bit self-relative offset per row.</summary>
    public int IpTableBytes => 4 * ips.Length;

    /// <summary>Bytes of <c>.orc_unwind</c>: one packed entry per row.</summary>
    public int EntryTableBytes => OrcEntry.Size * entries.Length;

    /// <summary>Bytes of <c>.orc_lookup</c>.</summary>
    public int LookupTableBytes => 4 * lookup.Length;

    public int TotalBytes => IpTableBytes + EntryTableBytes + LookupTableBytes;

    /// <summary>
    /// The row in force at <paramref name="ip"/> (the kernel's <c>orc_find</c>): the last row whose
    /// address is at or below it. False outside the text the table covers or below its first row.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public bool TryFind(ulong ip, out OrcEntry entry)
    {
        ulong offset = ip - TextStart;
        ulong block = offset / LookupBlockSize;
        if (ip < TextStart || ip >= TextEnd || block + 1 >= (ulong)lookup.Length || offsets.Length == 0)
        {
            entry = OrcEntry.Undefined;
            return false;
        }

        // The block's rows: from the one in force at its start to the one in force at the next block's.
        int lo = (int)lookup[block];
        int hi = Math.Min((int)lookup[block + 1] + 1, offsets.Length) - 1;
        uint at = (uint)offset;
        int found;
        if (hi - lo <= 8)
        {
            // Most blocks hold a row or two: a short forward scan beats halving.
            found = lo;
            while (found < hi && offsets[found + 1] <= at)
            {
                found++;
            }
        }
        else
        {
            found = lo;
            for (int length = hi - lo + 1; length > 1;)
            {
                int half = length >> 1;
                found = offsets[found + half] <= at ? found + half : found;
                length -= half;
            }
        }

        if (found < 0 || offsets[found] > at)
        {
            entry = OrcEntry.Undefined;
            return false;
        }

        entry = entries[found];
        return true;
    }

    /// <summary><c>.orc_unwind_ip</c> as the kernel stores it at <paramref name="address"/>: each row's address minus its slot's.</summary>
    public byte[] IpTable(ulong address)
    {
        var bytes = new byte[IpTableBytes];
        for (int i = 0; i < ips.Length; i++)
        {
            long relative = unchecked((long)(ips[i] - (address + (ulong)(4 * i))));
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4 * i), checked((int)relative));
        }

        return bytes;
    }

    /// <summary><c>.orc_unwind</c>: the packed entries.</summary>
    public byte[] EntryTable()
    {
        var bytes = new byte[EntryTableBytes];
        for (int i = 0; i < entries.Length; i++)
        {
            entries[i].WriteTo(bytes.AsSpan(OrcEntry.Size * i));
        }

        return bytes;
    }

    private static uint[] BuildLookup(ulong[] ips, ulong start, ulong end)
    {
        // As the kernel's unwind_init: block i holds the index of the last row at or before the block's start.
        int blocks = (int)((end - start + LookupBlockSize - 1) / LookupBlockSize);
        var lookup = new uint[blocks + 1];
        int row = 0;
        for (int b = 0; b <= blocks; b++)
        {
            ulong at = start + ((ulong)b * LookupBlockSize);
            while (row + 1 < ips.Length && ips[row + 1] <= at)
            {
                row++;
            }

            lookup[b] = (uint)row;
        }

        return lookup;
    }
}
