namespace EntryModel.Export.Dwarf;

/// <summary>A DWARF expression (DWARF 4, 2.5) on the stack machine: the few operations ORC rows need.</summary>
public sealed class DwarfExpression
{
    private const byte OpBreg0 = 0x70;
    private const byte OpDeref = 0x06;
    private const byte OpPlusUconst = 0x23;
    private const byte OpConsts = 0x11;
    private const byte OpPlus = 0x22;
    private const byte OpCallFrameCfa = 0x9c;

    private readonly DwarfBuffer ops = new();

    /// <summary>Pushes <paramref name="register"/> + <paramref name="offset"/> (DW_OP_breg0..31).</summary>
    public DwarfExpression Register(int register, long offset)
    {
        if (register is < 0 or > 31)
        {
            throw new ArgumentOutOfRangeException(nameof(register), register, "DW_OP_breg covers registers 0..31");
        }

        ops.U8((byte)(OpBreg0 + register));
        ops.Sleb(offset);
        return this;
    }

    /// <summary>Pushes the CFA (only inside a register rule's expression).</summary>
    public DwarfExpression CallFrameCfa()
    {
        ops.U8(OpCallFrameCfa);
        return this;
    }

    /// <summary>Replaces the top with the word at that address.</summary>
    public DwarfExpression Deref()
    {
        ops.U8(OpDeref);
        return this;
    }

    /// <summary>Adds <paramref name="offset"/> to the top.</summary>
    public DwarfExpression Plus(long offset)
    {
        if (offset > 0)
        {
            ops.U8(OpPlusUconst);
            ops.Uleb((ulong)offset);
        }
        else if (offset < 0)
        {
            ops.U8(OpConsts);
            ops.Sleb(offset);
            ops.U8(OpPlus);
        }

        return this;
    }

    public byte[] ToArray() => ops.ToArray();
}
