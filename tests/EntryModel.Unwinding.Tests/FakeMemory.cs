namespace EntryModel.Unwinding.Tests;

/// <summary>Sparse 64-bit words; reads of anything not written fail, as an unmapped page does.</summary>
internal sealed class FakeMemory : IMemoryReader
{
    private readonly Dictionary<ulong, ulong> words = [];

    public int Reads { get; private set; }

    public ulong this[ulong address]
    {
        set => words[address] = value;
    }

    /// <summary>Maps [low, high) as zeroed words.</summary>
    public void Zero(ulong low, ulong high)
    {
        for (ulong a = low; a < high; a += 8)
        {
            words[a] = 0;
        }
    }

    public bool TryReadUInt64(ulong address, out ulong value)
    {
        // A walk that loops inside one step reads on every turn: fail it rather than hang the run.
        if (++Reads > 100_000)
        {
            throw new InvalidOperationException("more than 100,000 reads: the walk does not end");
        }

        return words.TryGetValue(address, out value);
    }

    public bool TryRead(ulong address, Span<byte> destination)
    {
        for (int i = 0; i < destination.Length; i += 8)
        {
            if (destination.Length - i < 8 || !TryReadUInt64(address + (ulong)i, out ulong word))
            {
                return false;
            }

            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(destination[i..], word);
        }

        return true;
    }
}
