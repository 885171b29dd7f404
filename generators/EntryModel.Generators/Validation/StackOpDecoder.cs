using System.Collections.Generic;
using Iced.Intel;

namespace EntryModel.Generators.Validation;

/// <summary>
/// Classifies one decoded instruction the way objtool's x86 decoder does: its control-flow type
/// and the stack operations it performs. Only the forms objtool recognises count (64-bit moves,
/// adds and subtracts to %rsp, pushes, pops, <c>lea</c>, <c>leave</c>, ...); everything else, even
/// if it touches %rsp (a <c>mov %gs:x, %rsp</c>), has no stack operation, exactly as objtool sees it.
/// Iced gives the length and the offsets of displacement and immediate; the raw bytes give the
/// prefixes, REX, opcode and ModRM the rules are written against.
/// </summary>
internal static class StackOpDecoder
{
    public static InstructionType Classify(byte[] code, int start, in Instruction instruction, in ConstantOffsets offsets, bool inFunction, List<StackOp> ops)
    {
        // VEX, EVEX and XOP instructions never touch the stack discipline.
        if (instruction.Encoding != EncodingKind.Legacy)
        {
            return InstructionType.Other;
        }

        int end = start + instruction.Length;
        int i = start;
        int firstPrefix = 0;
        while (i < end && IsLegacyPrefix(code[i]))
        {
            if (firstPrefix == 0)
            {
                firstPrefix = code[i];
            }

            i++;
        }

        int rex = 0;
        if (i < end && code[i] >= 0x40 && code[i] <= 0x4f)
        {
            rex = code[i];
            i++;
        }

        bool rexW = (rex & 8) != 0;
        int rexR = (rex >> 2) & 1, rexX = (rex >> 1) & 1, rexB = rex & 1;
        int op1 = At(code, i, end), op2 = At(code, i + 1, end);
        int opcodeLength = op1 != 0x0f ? 1 : op2 is 0x38 or 0x3a ? 3 : 2;
        int modrmAt = i + opcodeLength;
        var m = ModRm.Read(code, modrmAt, end, rexR, rexX, rexB);
        int displacement = Signed(code, start, offsets.DisplacementOffset, offsets.DisplacementSize);
        int immediate = Signed(code, start, offsets.ImmediateOffset, offsets.ImmediateSize);

        switch (op1)
        {
            case 0x01:
            case 0x29:
                if (rexW && m.RmIsRegister(CfiRegisters.Sp))
                {
                    // add/sub %reg, %rsp: an amount objtool cannot know.
                    ops.Add(new StackOp(StackOpSource.Add, m.Reg, 0, StackOpDestination.Register, CfiRegisters.Sp, 0));
                }

                return InstructionType.Other;

            case >= 0x50 and <= 0x57:
                ops.Add(new StackOp(StackOpSource.Register, (op1 & 7) + (8 * rexB), 0, StackOpDestination.Push, 0, 0));
                return InstructionType.Other;

            case >= 0x58 and <= 0x5f:
                ops.Add(new StackOp(StackOpSource.Pop, 0, 0, StackOpDestination.Register, (op1 & 7) + (8 * rexB), 0));
                return InstructionType.Other;

            case 0x68:
            case 0x6a:
                ops.Add(new StackOp(StackOpSource.Constant, 0, 0, StackOpDestination.Push, 0, 0));
                return InstructionType.Other;

            case >= 0x70 and <= 0x7f:
                return InstructionType.JumpConditional;

            case >= 0x80 and <= 0x83:
                if (rexW && m.RmIsRegister(CfiRegisters.Sp))
                {
                    switch (m.Reg & 7)
                    {
                        case 0:
                            ops.Add(new StackOp(StackOpSource.Add, CfiRegisters.Sp, immediate, StackOpDestination.Register, CfiRegisters.Sp, 0));
                            break;
                        case 5:
                            ops.Add(new StackOp(StackOpSource.Add, CfiRegisters.Sp, -immediate, StackOpDestination.Register, CfiRegisters.Sp, 0));
                            break;
                        case 4:
                            ops.Add(new StackOp(StackOpSource.And, CfiRegisters.Sp, immediate, StackOpDestination.Register, CfiRegisters.Sp, 0));
                            break;
                    }
                }

                return InstructionType.Other;

            case 0x89:
                if (!rexW)
                {
                    return InstructionType.Other;
                }

                if (m.Reg == CfiRegisters.Sp)
                {
                    if (m.IsRegister)
                    {
                        ops.Add(new StackOp(StackOpSource.Register, CfiRegisters.Sp, 0, StackOpDestination.Register, m.Rm, 0));
                    }
                    else if (m.SimpleBase is int baseReg)
                    {
                        // mov %rsp, disp(%reg): the first step of a stack swizzle.
                        ops.Add(new StackOp(StackOpSource.Register, CfiRegisters.Sp, 0, StackOpDestination.RegisterIndirect, baseReg, displacement));
                    }

                    return InstructionType.Other;
                }

                if (m.RmIsRegister(CfiRegisters.Sp))
                {
                    ops.Add(new StackOp(StackOpSource.Register, m.Reg, 0, StackOpDestination.Register, CfiRegisters.Sp, 0));
                    return InstructionType.Other;
                }

                goto case 0x88;

            case 0x88:
                if (rexW && m.RmIsMemory(CfiRegisters.Bp))
                {
                    ops.Add(new StackOp(StackOpSource.Register, m.Reg, 0, StackOpDestination.RegisterIndirect, CfiRegisters.Bp, displacement));
                }
                else if (rexW && m.RmIsMemory(CfiRegisters.Sp))
                {
                    ops.Add(new StackOp(StackOpSource.Register, m.Reg, 0, StackOpDestination.RegisterIndirect, CfiRegisters.Sp, displacement));
                }

                return InstructionType.Other;

            case 0x8b:
                if (rexW && m.RmIsMemory(CfiRegisters.Bp))
                {
                    ops.Add(new StackOp(StackOpSource.RegisterIndirect, CfiRegisters.Bp, displacement, StackOpDestination.Register, m.Reg, 0));
                }
                else if (rexW && m.RmIsMemory(CfiRegisters.Sp))
                {
                    ops.Add(new StackOp(StackOpSource.RegisterIndirect, CfiRegisters.Sp, displacement, StackOpDestination.Register, m.Reg, 0));
                }

                return InstructionType.Other;

            case 0x8d:
                if (rexW && !m.IsRegister && m.SimpleBase is int leaBase)
                {
                    // lea (%reg), %dst is a move; with a displacement it is an add.
                    ops.Add(displacement == 0
                        ? new StackOp(StackOpSource.Register, leaBase, 0, StackOpDestination.Register, m.Reg, 0)
                        : new StackOp(StackOpSource.Add, leaBase, displacement, StackOpDestination.Register, m.Reg, 0));
                }

                return InstructionType.Other;

            case 0x8f:
                ops.Add(new StackOp(StackOpSource.Pop, 0, 0, StackOpDestination.Memory, 0, 0));
                return InstructionType.Other;

            case 0x90:
                return InstructionType.Nop;

            case 0x9c:
                ops.Add(new StackOp(StackOpSource.Constant, 0, 0, StackOpDestination.PushFlags, 0, 0));
                return InstructionType.Other;

            case 0x9d:
                ops.Add(new StackOp(StackOpSource.PopFlags, 0, 0, StackOpDestination.Memory, 0, 0));
                return InstructionType.Other;

            case 0x0f:
                return ClassifyTwoByte(op2, m.Byte, firstPrefix, ops);

            case 0xc9:
                // leave: mov %rbp, %rsp then pop %rbp.
                ops.Add(new StackOp(StackOpSource.Register, CfiRegisters.Bp, 0, StackOpDestination.Register, CfiRegisters.Sp, 0));
                ops.Add(new StackOp(StackOpSource.Pop, 0, 0, StackOpDestination.Register, CfiRegisters.Bp, 0));
                return InstructionType.Other;

            case 0xcc:
                return InstructionType.Trap;

            case 0xe3:
            case 0xe0:
            case 0xe1:
            case 0xe2:
                return InstructionType.JumpConditional;

            case 0xe9:
            case 0xeb:
                return InstructionType.JumpUnconditional;

            case 0xc2:
            case 0xc3:
                return InstructionType.Return;

            case 0xcf:
                if (inFunction)
                {
                    // An iret to itself inside a function (sync_core): it only pops its 5-word frame.
                    ops.Add(new StackOp(StackOpSource.Add, CfiRegisters.Sp, 5 * 8, StackOpDestination.Register, CfiRegisters.Sp, 0));
                    return InstructionType.Other;
                }

                return InstructionType.ContextSwitch;

            case 0xca:
            case 0xcb:
                return InstructionType.ContextSwitch;

            case 0xe8:
                // Until its destination is known a call counts as a push of the return address.
                ops.Add(new StackOp(StackOpSource.Constant, 0, 0, StackOpDestination.Push, 0, 0));
                return InstructionType.Call;

            case 0xfc:
                return InstructionType.Cld;

            case 0xfd:
                return InstructionType.Std;

            case 0xff:
                switch (m.Reg & 7)
                {
                    case 2:
                    case 3:
                        return InstructionType.CallDynamic;
                    case 4:
                        return InstructionType.JumpDynamic;
                    case 5:
                        return InstructionType.ContextSwitch;
                    case 6:
                        ops.Add(new StackOp(StackOpSource.Constant, 0, 0, StackOpDestination.Push, 0, 0));
                        return InstructionType.Other;
                    default:
                        return InstructionType.Other;
                }

            default:
                return InstructionType.Other;
        }
    }

    private static InstructionType ClassifyTwoByte(int op2, int modrm, int firstPrefix, List<StackOp> ops)
    {
        switch (op2)
        {
            case 0x01:
                return modrm switch
                {
                    0xca => InstructionType.Clac,
                    0xcb => InstructionType.Stac,
                    _ => InstructionType.Other,
                };
            case >= 0x80 and <= 0x8f:
                return InstructionType.JumpConditional;
            case 0x05:
            case 0x07:
            case 0x34:
            case 0x35:
                return InstructionType.ContextSwitch;
            case 0x0b:
            case 0xb9:
                return InstructionType.Bug;
            case 0x0d:
            case 0x1f:
                return InstructionType.Nop;
            case 0x1e:
                return firstPrefix == 0xf3 && modrm is 0xfa or 0xfb ? InstructionType.Endbr : InstructionType.Other;
            case 0xa0:
            case 0xa8:
                ops.Add(new StackOp(StackOpSource.Constant, 0, 0, StackOpDestination.Push, 0, 0));
                return InstructionType.Other;
            case 0xa1:
            case 0xa9:
                ops.Add(new StackOp(StackOpSource.Pop, 0, 0, StackOpDestination.Memory, 0, 0));
                return InstructionType.Other;
            default:
                return InstructionType.Other;
        }
    }

    private static bool IsLegacyPrefix(byte b) => b is 0xf0 or 0xf2 or 0xf3 or 0x2e or 0x36 or 0x3e or 0x26 or 0x64 or 0x65 or 0x66 or 0x67;

    private static int At(byte[] code, int i, int end) => i < end ? code[i] : -1;

    private static int Signed(byte[] code, int start, int offset, int size) => size switch
    {
        1 => (sbyte)code[start + offset],
        2 => (short)(code[start + offset] | (code[start + offset + 1] << 8)),
        4 or 8 => code[start + offset] | (code[start + offset + 1] << 8) | (code[start + offset + 2] << 16) | (code[start + offset + 3] << 24),
        _ => 0,
    };

    /// <summary>A ModRM byte (and its SIB) with REX applied, and the questions objtool asks of it.</summary>
    private readonly struct ModRm
    {
        private readonly int mod;
        private readonly bool hasSib;
        private readonly int sibIndex;
        private readonly int sibBase;

        private ModRm(int value, int mod, int reg, int rm, bool hasSib, int sibIndex, int sibBase)
        {
            Byte = value;
            this.mod = mod;
            Reg = reg;
            Rm = rm;
            this.hasSib = hasSib;
            this.sibIndex = sibIndex;
            this.sibBase = sibBase;
        }

        public int Byte { get; }

        public int Reg { get; }

        public int Rm { get; }

        public bool IsRegister => mod == 3;

        private bool IsRipRelative => (Rm & 7) == CfiRegisters.Bp && mod == 0;

        /// <summary>The base register of a memory operand with no index (or none for RIP-relative or indexed forms).</summary>
        public int? SimpleBase => IsRegister || IsRipRelative ? null : hasSib ? (sibIndex == CfiRegisters.Sp ? sibBase : null) : Rm;

        public static ModRm Read(byte[] code, int at, int end, int rexR, int rexX, int rexB)
        {
            if (at >= end)
            {
                return new ModRm(-1, -1, -1, -1, false, -1, -1);
            }

            int value = code[at];
            int mod = value >> 6;
            int reg = ((value >> 3) & 7) + (8 * rexR);
            int rm = (value & 7) + (8 * rexB);
            bool sib = mod != 3 && (value & 7) == 4 && at + 1 < end;
            int sibByte = sib ? code[at + 1] : 0;
            return new ModRm(value, mod, reg, rm, sib, ((sibByte >> 3) & 7) + (8 * rexX), (sibByte & 7) + (8 * rexB));
        }

        public bool RmIsRegister(int reg) => IsRegister && Rm == reg;

        public bool RmIsMemory(int reg) => !IsRegister && !IsRipRelative && (hasSib ? sibBase == reg && sibIndex == CfiRegisters.Sp : Rm == reg);
    }
}
