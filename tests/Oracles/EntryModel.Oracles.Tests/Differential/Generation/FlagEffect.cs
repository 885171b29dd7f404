namespace EntryModel.Oracles.Tests.Differential.Generation;

/// <summary>
/// What one instruction does to the status flags according to the SDM: which it reads, which it always
/// leaves with a defined value, and which it may leave undefined. Flags in neither set keep their status.
/// </summary>
public readonly record struct FlagEffect(RflagsBits Reads, RflagsBits Defines, RflagsBits Undefines)
{
    public static readonly FlagEffect None = new(RflagsBits.None, RflagsBits.None, RflagsBits.None);

    /// <summary>add, sub, cmp, neg: all six status flags from the result.</summary>
    public static readonly FlagEffect Arithmetic = new(RflagsBits.None, RflagsBits.Status, RflagsBits.None);

    /// <summary>adc, sbb: as arithmetic, plus CF in.</summary>
    public static readonly FlagEffect ArithmeticWithCarry = new(RflagsBits.Carry, RflagsBits.Status, RflagsBits.None);

    /// <summary>and, or, xor, test: CF = OF = 0, SF/ZF/PF from the result, AF undefined.</summary>
    public static readonly FlagEffect Logic = new(RflagsBits.None, RflagsBits.Status & ~RflagsBits.Adjust, RflagsBits.Adjust);

    /// <summary>inc, dec: as arithmetic but CF untouched.</summary>
    public static readonly FlagEffect IncrementDecrement = new(RflagsBits.None, RflagsBits.Status & ~RflagsBits.Carry, RflagsBits.None);

    /// <summary>mul, imul: CF = OF defined, SF/ZF/AF/PF undefined.</summary>
    public static readonly FlagEffect Multiply = new(
        RflagsBits.None, RflagsBits.Carry | RflagsBits.Overflow, RflagsBits.Sign | RflagsBits.Zero | RflagsBits.Adjust | RflagsBits.Parity);

    /// <summary>div, idiv: every status flag undefined.</summary>
    public static readonly FlagEffect Divide = new(RflagsBits.None, RflagsBits.None, RflagsBits.Status);

    /// <summary>bt, bts, btr, btc: CF = the bit; ZF untouched; OF/SF/AF/PF undefined.</summary>
    public static readonly FlagEffect BitTest = new(
        RflagsBits.None, RflagsBits.Carry, RflagsBits.Overflow | RflagsBits.Sign | RflagsBits.Adjust | RflagsBits.Parity);

    public static FlagEffect ReadsOnly(RflagsBits reads) => new(reads, RflagsBits.None, RflagsBits.None);
}
