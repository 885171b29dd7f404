namespace EntryModel.Unwinding.Tests.Support;

/// <summary>
/// Sparse memory in aligned 64-bit words that reads as a CPU does: an unaligned read combines the
/// bytes of the words it touches, and fails when any of them is unmapped.
/// </summary>
internal sealed class WordMemory : IMemoryReader
{
    private readonly Dictionary<ulong, ulong> words = [];

    public int Count => words.Count;

    /// <summary>Maps the aligned word holding <paramref name="address"/> to <paramref name="value"/>.</summary>
    public void Map(ulong address, ulong value) => words[address & ~7UL] = value;

    /// <summary>Unmaps the aligned word holding <paramref name="address"/>.</summary>
    public void Unmap(ulong address) => words.Remove(address & ~7UL);

    public bool TryGetWord(ulong alignedAddress, out ulong value) => words.TryGetValue(alignedAddress, out value);

    public bool TryReadUInt64(ulong address, out ulong value) => Words.TryReadUInt64(address, TryGetWord, out value);

    public bool TryRead(ulong address, Span<byte> destination) => Words.TryRead(address, destination, TryGetWord);
}

/// <summary>Reads of any size and alignment composed from aligned words.</summary>
internal static class Words
{
    public delegate bool WordSource(ulong alignedAddress, out ulong value);

    public static bool TryReadUInt64(ulong address, WordSource source, out ulong value)
    {
        ulong at = address & ~7UL;
        int shift = (int)(address & 7) * 8;
        value = 0;
        if (!source(at, out ulong low))
        {
            return false;
        }

        if (shift == 0)
        {
            value = low;
            return true;
        }

        if (!source(at + 8, out ulong high))
        {
            return false;
        }

        value = (low >> shift) | (high << (64 - shift));
        return true;
    }

    public static bool TryRead(ulong address, Span<byte> destination, WordSource source)
    {
        ulong word = 0, wordAt = 1; // 1: no aligned word loaded yet
        for (int i = 0; i < destination.Length; i++)
        {
            ulong at = address + (ulong)i;
            ulong aligned = at & ~7UL;
            if (aligned != wordAt)
            {
                if (!source(aligned, out word))
                {
                    return false;
                }

                wordAt = aligned;
            }

            destination[i] = (byte)(word >> (int)((at & 7) * 8));
        }

        return true;
    }
}
