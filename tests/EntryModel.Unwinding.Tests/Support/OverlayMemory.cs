namespace EntryModel.Unwinding.Tests.Support;

/// <summary>
/// A machine's frozen memory with some aligned words overwritten: with a value, or made unreadable
/// (null), as a corrupted or half-unmapped stack would read.
/// </summary>
internal sealed class OverlayMemory(IMemoryReader under, IReadOnlyDictionary<ulong, ulong?> overrides) : IMemoryReader
{
    public bool TryReadUInt64(ulong address, out ulong value)
    {
        if (!Touches(address, 8))
        {
            return under.TryReadUInt64(address, out value);
        }

        return Words.TryReadUInt64(address, Word, out value);
    }

    public bool TryRead(ulong address, Span<byte> destination)
    {
        if (!Touches(address, (ulong)destination.Length))
        {
            return under.TryRead(address, destination);
        }

        return Words.TryRead(address, destination, Word);
    }

    private bool Touches(ulong address, ulong length)
    {
        foreach (ulong word in overrides.Keys)
        {
            if (word + 8 > address && word < address + length)
            {
                return true;
            }
        }

        return false;
    }

    private bool Word(ulong aligned, out ulong value)
    {
        if (overrides.TryGetValue(aligned, out ulong? forced))
        {
            value = forced ?? 0;
            return forced.HasValue;
        }

        return under.TryReadUInt64(aligned, out value);
    }
}
