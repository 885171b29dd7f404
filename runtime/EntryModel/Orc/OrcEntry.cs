using System.Buffers.Binary;
using System.Globalization;

namespace EntryModel;

/// <summary>
/// One ORC row, the kernel's <c>struct orc_entry</c> (Linux 6.1, 6 bytes packed): how to find the
/// previous frame's stack pointer (the CFA: <see cref="SpReg"/> + <see cref="SpOffset"/>), where the
/// caller's %rbp was saved (<see cref="BpReg"/> + <see cref="BpOffset"/>), what the CFA frames
/// (<see cref="Type"/>), and whether the stack ends here (<see cref="End"/>).
/// </summary>
public readonly record struct OrcEntry(short SpOffset, short BpOffset, OrcRegister SpReg, OrcRegister BpReg, OrcType Type, bool End)
{
    /// <summary>Bytes of one packed entry.</summary>
    public const int Size = 6;

    /// <summary>The row of an address no table covers: nothing is known.</summary>
    public static OrcEntry Undefined => new(0, 0, OrcRegister.Undefined, OrcRegister.Undefined, OrcType.Call, false);

    public bool IsUndefined => SpReg == OrcRegister.Undefined && !End;

    /// <summary>Packs the entry as the kernel lays it out on little-endian x86: two s16, then sp_reg:4 bp_reg:4, then type:2 end:1.</summary>
    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteInt16LittleEndian(destination, SpOffset);
        BinaryPrimitives.WriteInt16LittleEndian(destination[2..], BpOffset);
        destination[4] = (byte)(((byte)SpReg & 0xf) | (((byte)BpReg & 0xf) << 4));
        destination[5] = (byte)(((byte)Type & 0x3) | (End ? 0x4 : 0));
    }

    public static OrcEntry Read(ReadOnlySpan<byte> source) => new(
        BinaryPrimitives.ReadInt16LittleEndian(source),
        BinaryPrimitives.ReadInt16LittleEndian(source[2..]),
        (OrcRegister)(source[4] & 0xf),
        (OrcRegister)(source[4] >> 4),
        (OrcType)(source[5] & 0x3),
        (source[5] & 0x4) != 0);

    /// <summary>The row as objtool's <c>--dump=orc</c> prints it after the address: <c>sp:sp+8 bp:(und) type:call end:0</c>.</summary>
    public override string ToString() =>
        $"sp:{Register(SpReg, SpOffset)} bp:{Register(BpReg, BpOffset)} type:{TypeName(Type)} end:{(End ? 1 : 0)}";

    private static string Register(OrcRegister register, short offset) => register switch
    {
        OrcRegister.BpIndirect => string.Create(CultureInfo.InvariantCulture, $"(bp{offset:+0;-0;+0})"),
        OrcRegister.SpIndirect => string.Create(CultureInfo.InvariantCulture, $"(sp){offset:+0;-0;+0}"),
        OrcRegister.Undefined => "(und)",
        _ => string.Create(CultureInfo.InvariantCulture, $"{Name(register)}{offset:+0;-0;+0}"),
    };

    private static string Name(OrcRegister register) => register switch
    {
        OrcRegister.PrevSp => "prevsp",
        OrcRegister.Dx => "dx",
        OrcRegister.Di => "di",
        OrcRegister.Bp => "bp",
        OrcRegister.Sp => "sp",
        OrcRegister.R10 => "r10",
        OrcRegister.R13 => "r13",
        _ => "?",
    };

    private static string TypeName(OrcType type) => type switch
    {
        OrcType.Call => "call",
        OrcType.Regs => "regs",
        OrcType.RegsPartial => "regs (partial)",
        _ => "?",
    };
}
