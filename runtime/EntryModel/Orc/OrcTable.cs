using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EntryModel;

/// <summary>
/// An image's ORC tables as the kernel holds them: rows sorted by address (<c>.orc_unwind_ip</c>
/// and <c>.orc_unwind</c>), each row covering the addresses from its own up to the next row's, and
/// the fast lookup table (<c>orc_lookup</c>): for every 256-byte block of text from
/// <see cref="TextStart"/> to <see cref="TextEnd"/>, the index of the row in force at the block's
/// start. Finding a row is a table index, then a count of the block's rows at or below the address.
/// </summary>
public sealed class OrcTable
{
    /// <summary>The kernel's LOOKUP_BLOCK_SIZE: 1 &lt;&lt; LOOKUP_BLOCK_ORDER (8).</summary>
    public const int LookupBlockSize = 256;

    private readonly ulong[] ips;
    private readonly OrcEntry[] entries;
    private readonly uint[] lookup;

    /// <summary>
    /// Each row's address less <see cref="TextStart"/> (the search reads 4 bytes a row, not 8),
    /// then <see cref="Vector256{T}.Count"/> words that no address reaches, so that a vector read
    /// from any row stays inside the array.
    /// </summary>
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
        offsets = [.. this.ips.Select(a => a < TextStart ? 0u : (uint)Math.Min(a - TextStart, uint.MaxValue)), .. Enumerable.Repeat(uint.MaxValue, Vector256<uint>.Count)];
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
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryFind(ulong ip, out OrcEntry entry)
    {
        ulong offset = ip - TextStart;
        ulong block = offset / LookupBlockSize;
        if (ip < TextStart || ip >= TextEnd || block + 1 >= (ulong)lookup.Length || entries.Length == 0)
        {
            entry = OrcEntry.Undefined;
            return false;
        }

        // The row in force is the last of the block's rows that start at or below the address. Most
        // blocks hold a few rows: counting those of the next 8 in one vector compare decides them
        // without a branch on the data (rows past the block start past the address, and the padding
        // never does). Only a block of 8 or more rows goes on to halve the rest.
        int lo = (int)lookup[block];
        uint at = (uint)offset;
        var eight = Vector256.LoadUnsafe(ref offsets[lo]);
        int count = BitOperations.PopCount(Vector256.LessThanOrEqual(eight, Vector256.Create(at)).ExtractMostSignificantBits());
        if (count == 0)
        {
            // Below the first row (only block 0 can start before it).
            entry = OrcEntry.Undefined;
            return false;
        }

        int found = lo + count - 1;
        if (count == Vector256<uint>.Count)
        {
            found = Halve(found, Math.Min((int)lookup[block + 1] + 1, entries.Length) - 1, at);
        }

        entry = entries[found];
        return true;
    }

    /// <summary>The last row in [<paramref name="lo"/>, <paramref name="hi"/>] starting at or below <paramref name="at"/>, given that <paramref name="lo"/> does.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private int Halve(int lo, int hi, uint at)
    {
        int found = lo;
        for (int length = hi - lo + 1; length > 1;)
        {
            int half = length >> 1;
            found = offsets[found + half] <= at ? found + half : found;
            length -= half;
        }

        return found;
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
