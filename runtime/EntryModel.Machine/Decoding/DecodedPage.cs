namespace EntryModel.Machine.Decoding;

/// <summary>
/// The decoded instructions of one code page, indexed by page offset. Dropped (marked stale) the
/// moment anything writes to the page, so self-modifying code is re-decoded.
/// </summary>
internal sealed class DecodedPage
{
    /// <summary>Slot value for an instruction that crosses into the next page: decoded afresh every time.</summary>
    public const ushort CrossesPage = ushort.MaxValue;

    public DecodedPage(ulong address)
    {
        Address = address;
        Instructions = new DecodedInstruction[16];
    }

    public ulong Address { get; }

    /// <summary>For each page offset, 0 (not decoded yet), an index into <see cref="Instructions"/>, or <see cref="CrossesPage"/>.</summary>
    public ushort[] Slots { get; } = new ushort[4096];

    public DecodedInstruction[] Instructions { get; private set; }

    public int Count { get; private set; } = 1;

    /// <summary>The page's bytes changed: this cache must not be used again.</summary>
    public bool Stale { get; set; }

    /// <summary>The breakpoint set version the wrappers in this page reflect.</summary>
    public int BreakpointVersion { get; set; }

    public ushort Add(in DecodedInstruction instruction)
    {
        if (Count == Instructions.Length)
        {
            var bigger = new DecodedInstruction[Count * 2];
            Array.Copy(Instructions, bigger, Count);
            Instructions = bigger;
        }

        Instructions[Count] = instruction;
        return (ushort)Count++;
    }
}
