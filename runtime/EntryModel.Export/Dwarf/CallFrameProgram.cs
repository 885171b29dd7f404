namespace EntryModel.Export.Dwarf;

/// <summary>
/// Builds a run of DWARF call frame instructions (DWARF 4, 6.4.2; the expressions they take are
/// <see cref="DwarfExpression"/>'s), for a CIE whose data alignment factor is -8 (every saved slot a word).
/// </summary>
public sealed class CallFrameProgram
{
    public const int DataAlignment = -8;

    private const byte DefCfa = 0x0c;
    private const byte DefCfaSf = 0x12;
    private const byte DefCfaExpression = 0x0f;
    private const byte Expression = 0x10;
    private const byte OffsetExtendedSf = 0x11;
    private const byte Undefined = 0x07;
    private const byte OffsetHigh = 0x80;

    private readonly DwarfBuffer bytes = new();

    /// <summary>CFA = <paramref name="register"/> + <paramref name="offset"/>.</summary>
    public CallFrameProgram DefineCfa(int register, long offset)
    {
        if (offset >= 0)
        {
            bytes.U8(DefCfa);
            bytes.Uleb((ulong)register);
            bytes.Uleb((ulong)offset);
        }
        else
        {
            bytes.U8(DefCfaSf);
            bytes.Uleb((ulong)register);
            bytes.Sleb(Factored(offset));
        }

        return this;
    }

    /// <summary>CFA = the value <paramref name="expression"/> computes.</summary>
    public CallFrameProgram DefineCfa(byte[] expression)
    {
        bytes.U8(DefCfaExpression);
        bytes.Uleb((ulong)expression.Length);
        bytes.Bytes(expression);
        return this;
    }

    /// <summary>The caller's <paramref name="register"/> was saved at CFA + <paramref name="offset"/>.</summary>
    public CallFrameProgram SavedAtCfa(int register, long offset)
    {
        if (offset % -DataAlignment != 0)
        {
            return SavedAt(register, new DwarfExpression().CallFrameCfa().Plus(offset).ToArray());
        }

        long factored = Factored(offset);
        if (register < 0x40 && factored >= 0)
        {
            bytes.U8((byte)(OffsetHigh | register));
            bytes.Uleb((ulong)factored);
        }
        else
        {
            bytes.U8(OffsetExtendedSf);
            bytes.Uleb((ulong)register);
            bytes.Sleb(factored);
        }

        return this;
    }

    /// <summary>The caller's <paramref name="register"/> was saved at the address <paramref name="expression"/> computes.</summary>
    public CallFrameProgram SavedAt(int register, byte[] expression)
    {
        bytes.U8(Expression);
        bytes.Uleb((ulong)register);
        bytes.Uleb((ulong)expression.Length);
        bytes.Bytes(expression);
        return this;
    }

    /// <summary>The caller's <paramref name="register"/> cannot be recovered; for the return address: there is no caller.</summary>
    public CallFrameProgram IsUndefined(int register)
    {
        bytes.U8(Undefined);
        bytes.Uleb((ulong)register);
        return this;
    }

    public byte[] ToArray() => bytes.ToArray();

    private static long Factored(long offset) => offset % DataAlignment == 0
        ? offset / DataAlignment
        : throw new ArgumentException($"offset {offset} is not a multiple of the data alignment {DataAlignment}", nameof(offset));
}
