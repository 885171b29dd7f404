namespace EntryModel.Generators.Validation;

/// <summary>
/// Register numbers the validator tracks, numbered as objtool's x86 CFI registers are (the ModRM
/// order, then r8-r15, then the return address), so its messages name registers the same way, and
/// the pseudo bases a CFA or a saved register can be relative to.
/// </summary>
internal static class CfiRegisters
{
    public const int Ax = 0;
    public const int Cx = 1;
    public const int Dx = 2;
    public const int Bx = 3;
    public const int Sp = 4;
    public const int Bp = 5;
    public const int Si = 6;
    public const int Di = 7;
    public const int R10 = 10;
    public const int R12 = 12;
    public const int R13 = 13;
    public const int R14 = 14;
    public const int R15 = 15;

    /// <summary>The return address, tracked like a register.</summary>
    public const int Ra = 16;

    public const int Count = 17;

    // Bases that are not registers.
    public const int Undefined = -1;
    public const int Cfa = -2;
    public const int SpIndirect = -3;
    public const int BpIndirect = -4;

    /// <summary>Registers a function must give back as it found them: only their saves are tracked.</summary>
    public static bool IsCalleeSaved(int reg) => reg is Bp or Bx or R12 or R13 or R14 or R15;
}

/// <summary>The kernel's ORC register codes (orc_types.h), as hints and ORC rows write them.</summary>
internal static class OrcRegisters
{
    public const int Undefined = 0;
    public const int PrevSp = 1;
    public const int Dx = 2;
    public const int Di = 3;
    public const int Bp = 4;
    public const int Sp = 5;
    public const int R10 = 6;
    public const int R13 = 7;
    public const int BpIndirect = 8;
    public const int SpIndirect = 9;

    /// <summary>The CFI base a hint's ORC register code names, or false for a code hints cannot use.</summary>
    public static bool TryToCfi(int orc, out int cfi)
    {
        cfi = orc switch
        {
            Undefined => CfiRegisters.Undefined,
            Sp => CfiRegisters.Sp,
            Bp => CfiRegisters.Bp,
            SpIndirect => CfiRegisters.SpIndirect,
            R10 => CfiRegisters.R10,
            R13 => CfiRegisters.R13,
            Di => CfiRegisters.Di,
            Dx => CfiRegisters.Dx,
            _ => int.MinValue,
        };
        return cfi != int.MinValue;
    }
}

/// <summary>The kernel's unwind hint types (linux/objtool.h); the first three are also ORC row types.</summary>
internal static class HintTypes
{
    public const int Call = 0;
    public const int Regs = 1;
    public const int RegsPartial = 2;
    public const int Func = 3;
    public const int Entry = 4;
    public const int Save = 5;
    public const int Restore = 6;
}
