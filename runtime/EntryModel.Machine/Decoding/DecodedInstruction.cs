using System.Runtime.InteropServices;

namespace EntryModel.Machine.Decoding;

/// <summary>
/// An instruction decoded once (by Iced) into what its handler needs: resolved register numbers,
/// the memory operand's parts, the immediate and the absolute addresses of the next instruction
/// and of a branch target. Registers 0-15 are the GPRs; 16-19 are AH, CH, DH, BH.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct DecodedInstruction
{
    public const byte NoRegister = 0xFF;

    /// <summary>What the interpreter dispatches on (may be a wrapper such as <see cref="Handler.Breakpoint"/>).</summary>
    public Handler Handler;

    /// <summary>The instruction's own handler.</summary>
    public Handler Semantic;

    public OperandKind Dst;
    public OperandKind Src;

    /// <summary>Register of the destination (or sole) operand when it is a register.</summary>
    public byte DstReg;

    /// <summary>Register of the source operand when it is a register.</summary>
    public byte SrcReg;

    public byte Base;
    public byte Index;
    public byte Scale;

    /// <summary>0 none, 4 FS, 5 GS (Iced-independent segment override for the memory operand).</summary>
    public byte Segment;

    /// <summary>Operand size in bytes: 1, 2, 4 or 8.</summary>
    public byte Size;

    /// <summary>Source size in bytes for MOVZX/MOVSX, or the third-operand marker for IMUL.</summary>
    public byte SrcSize;

    /// <summary>Condition code (tttn) for Jcc/SETcc/CMOVcc.</summary>
    public byte Condition;

    public DecodedFlags Flags;
    public byte Length;

    /// <summary>The memory displacement; for RIP-relative operands the absolute address.</summary>
    public ulong Displacement;

    /// <summary>The immediate (already sign- or zero-extended as the encoding says), or a branch target.</summary>
    public ulong Immediate;

    /// <summary>The address of the following instruction.</summary>
    public ulong NextRip;
}
