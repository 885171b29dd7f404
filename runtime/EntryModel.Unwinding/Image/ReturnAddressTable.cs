using System.Runtime.CompilerServices;

namespace EntryModel.Unwinding.Image;

/// <summary>
/// What an image knows about some of its return addresses (an ORC row per call site, a section
/// record per entry call), looked up once per frame: an open-addressed table, at most half full,
/// keyed by the return address with Fibonacci hashing, each key beside its value so a hit is one
/// cache line. Return address 0 never follows a call in kernel text: it marks an empty slot, and is
/// never found. Immutable once built: shared by every walk on every thread.
/// </summary>
public sealed class ReturnAddressTable<TValue>
    where TValue : struct
{
    private const ulong Empty = 0;

    private readonly Slot[] slots;
    private readonly int shift;

    /// <summary>The table of <paramref name="entries"/> (return address 0 left out; the first value of an address repeated wins).</summary>
    public ReturnAddressTable(IEnumerable<(ulong ReturnAddress, TValue Value)> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var held = entries.Where(e => e.ReturnAddress != Empty).DistinctBy(e => e.ReturnAddress).ToList();
        int bits = 4;
        while ((1 << bits) < 2 * held.Count)
        {
            bits++;
        }

        slots = new Slot[1 << bits];
        shift = 64 - bits;
        foreach (var (ret, value) in held)
        {
            int i = Home(ret);
            while (slots[i].ReturnAddress != Empty)
            {
                i = (i + 1) & (slots.Length - 1);
            }

            slots[i] = new Slot(ret, value);
        }

        Count = held.Count;
    }

    /// <summary>Return addresses held.</summary>
    public int Count { get; }

    /// <summary>The value held for <paramref name="returnAddress"/>, or a null reference: a probe from its home to the first empty slot.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref readonly TValue Find(ulong returnAddress)
    {
        var all = slots;
        int mask = all.Length - 1;
        for (int i = Home(returnAddress); ; i = (i + 1) & mask)
        {
            ref readonly var slot = ref all[i];
            if (slot.ReturnAddress == returnAddress && returnAddress != Empty)
            {
                return ref slot.Value;
            }

            if (slot.ReturnAddress == Empty)
            {
                return ref Unsafe.NullRef<TValue>();
            }
        }
    }

    /// <summary>The value held for <paramref name="returnAddress"/>; false (and default) when none is.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryGetValue(ulong returnAddress, out TValue value)
    {
        ref readonly var found = ref Find(returnAddress);
        bool held = !Unsafe.IsNullRef(in found);
        value = held ? found : default;
        return held;
    }

    /// <summary>Fibonacci hashing: the top bits of the address times 2^64/φ.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Home(ulong returnAddress) => (int)((returnAddress * 0x9E3779B97F4A7C15UL) >> shift);

    /// <summary>A key beside its value (fields, so that a hit returns a reference to the value itself).</summary>
    private readonly struct Slot(ulong returnAddress, TValue value)
    {
        public readonly ulong ReturnAddress = returnAddress;
        public readonly TValue Value = value;
    }
}
