namespace EntryModel.Oracles.Tests.Differential;

/// <summary>RFLAGS bits the differential runs set, read and compare.</summary>
[Flags]
public enum RflagsBits : ulong
{
    None = 0,
    Carry = 1UL << 0,
    Reserved1 = 1UL << 1,
    Parity = 1UL << 2,
    Adjust = 1UL << 4,
    Zero = 1UL << 6,
    Sign = 1UL << 7,
    Direction = 1UL << 10,
    Overflow = 1UL << 11,

    /// <summary>CF, PF, AF, ZF, SF, OF: the status flags the generated instructions define.</summary>
    Status = Carry | Parity | Adjust | Zero | Sign | Overflow,

    /// <summary>What every comparison looks at: the status flags and DF (which the harnesses clear).</summary>
    Compared = Status | Direction,
}
