using Iced.Intel;

namespace EntryModel.Machine.Decoding;

/// <summary>
/// Turns an Iced <see cref="Instruction"/> into the interpreter's <see cref="DecodedInstruction"/>:
/// picks the handler, resolves registers to numbers and RIP-relative operands to absolute addresses.
/// Anything outside the modelled instruction set becomes <see cref="Handler.Invalid"/> (#UD).
/// </summary>
internal static class InstructionTranslator
{
    public static void Translate(in Instruction i, out DecodedInstruction d)
    {
        d = default;
        d.Length = (byte)i.Length;
        d.NextRip = i.NextIP;
        d.DstReg = DecodedInstruction.NoRegister;
        d.SrcReg = DecodedInstruction.NoRegister;
        d.Base = DecodedInstruction.NoRegister;
        d.Index = DecodedInstruction.NoRegister;
        var h = i.Code == Code.INVALID ? Handler.Invalid : Choose(i, ref d);
        if (h != Handler.Invalid && WritesRsp(i, h, d))
        {
            d.Flags |= DecodedFlags.WritesRsp;
        }

        d.Semantic = h;
        d.Handler = (d.Flags & DecodedFlags.WritesRsp) != 0 ? Handler.RspWrite : h;
    }

    private static Handler Choose(in Instruction i, ref DecodedInstruction d)
    {
        if (i.Code == Code.Sysretq)
        {
            return Handler.Sysretq; // its mnemonic differs from the 32-bit SYSRET's, which stays #UD
        }

        switch (i.Mnemonic)
        {
            case Mnemonic.Nop:
            case Mnemonic.Pause:
            case Mnemonic.Lfence:
            case Mnemonic.Mfence:
            case Mnemonic.Sfence:
            case Mnemonic.Prefetchnta:
            case Mnemonic.Prefetcht0:
            case Mnemonic.Prefetcht1:
            case Mnemonic.Prefetcht2:
            case Mnemonic.Prefetchw:
                return Handler.Nop;
            case Mnemonic.Mov:
                return ChooseMov(i, ref d);
            case Mnemonic.Movzx:
                return Binary(i, ref d) && d.Src != OperandKind.Immediate ? SetSourceSize(i, ref d, Handler.Movzx) : Handler.Invalid;
            case Mnemonic.Movsx:
            case Mnemonic.Movsxd:
                return Binary(i, ref d) && d.Src != OperandKind.Immediate ? SetSourceSize(i, ref d, Handler.Movsx) : Handler.Invalid;
            case Mnemonic.Lea:
                return Binary(i, ref d) && d.Src == OperandKind.Memory ? Handler.Lea : Handler.Invalid;
            case Mnemonic.Push:
                if (!Unary(i, ref d))
                {
                    return Handler.Invalid;
                }

                d.Size = (byte)-i.StackPointerIncrement;
                return d.Dst == OperandKind.Register && d.Size == 8 ? Handler.PushR64 : Handler.Push;
            case Mnemonic.Pop:
                if (!Unary(i, ref d))
                {
                    return Handler.Invalid;
                }

                d.Size = (byte)i.StackPointerIncrement;
                return d.Dst == OperandKind.Register && d.Size == 8 ? Handler.PopR64 : Handler.Pop;
            case Mnemonic.Pushfq:
                return Handler.Pushfq;
            case Mnemonic.Popfq:
                return Handler.Popfq;
            case Mnemonic.Leave:
                return i.Code == Code.Leaveq ? Handler.Leave : Handler.Invalid;
            case Mnemonic.Add:
                return Alu(i, ref d, Handler.Add, Handler.AddRI64, Handler.Invalid);
            case Mnemonic.Sub:
                return Alu(i, ref d, Handler.Sub, Handler.SubRI64, Handler.Invalid);
            case Mnemonic.Cmp:
                return Alu(i, ref d, Handler.Cmp, Handler.CmpRI64, Handler.CmpRR64);
            case Mnemonic.Test:
                return Alu(i, ref d, Handler.Test, Handler.Invalid, Handler.TestRR64);
            case Mnemonic.Or:
                return Alu(i, ref d, Handler.Or, Handler.Invalid, Handler.Invalid);
            case Mnemonic.Adc:
                return Alu(i, ref d, Handler.Adc, Handler.Invalid, Handler.Invalid);
            case Mnemonic.Sbb:
                return Alu(i, ref d, Handler.Sbb, Handler.Invalid, Handler.Invalid);
            case Mnemonic.And:
                return Alu(i, ref d, Handler.And, Handler.Invalid, Handler.Invalid);
            case Mnemonic.Xor:
                if (!Binary(i, ref d))
                {
                    return Handler.Invalid;
                }

                return d.Dst == OperandKind.Register && d.Src == OperandKind.Register && d.Size == 4 && d.DstReg < 16 && d.SrcReg < 16 ? Handler.XorRR32 : Handler.Xor;
            case Mnemonic.Inc:
                return Unary(i, ref d) ? Handler.Inc : Handler.Invalid;
            case Mnemonic.Dec:
                return Unary(i, ref d) ? Handler.Dec : Handler.Invalid;
            case Mnemonic.Neg:
                return Unary(i, ref d) ? Handler.Neg : Handler.Invalid;
            case Mnemonic.Not:
                return Unary(i, ref d) ? Handler.Not : Handler.Invalid;
            case Mnemonic.Shl:
            case Mnemonic.Sal:
                return Binary(i, ref d) ? Handler.Shl : Handler.Invalid;
            case Mnemonic.Shr:
                return Binary(i, ref d) ? Handler.Shr : Handler.Invalid;
            case Mnemonic.Sar:
                return Binary(i, ref d) ? Handler.Sar : Handler.Invalid;
            case Mnemonic.Rol:
                return Binary(i, ref d) ? Handler.Rol : Handler.Invalid;
            case Mnemonic.Ror:
                return Binary(i, ref d) ? Handler.Ror : Handler.Invalid;
            case Mnemonic.Rcl:
                return Binary(i, ref d) ? Handler.Rcl : Handler.Invalid;
            case Mnemonic.Rcr:
                return Binary(i, ref d) ? Handler.Rcr : Handler.Invalid;
            case Mnemonic.Bswap:
                return Unary(i, ref d) && d.Size >= 4 ? Handler.Bswap : Handler.Invalid;
            case Mnemonic.Lahf:
                return Handler.Lahf;
            case Mnemonic.Sahf:
                return Handler.Sahf;
            case Mnemonic.Imul:
                return ChooseImul(i, ref d);
            case Mnemonic.Mul:
                return Unary(i, ref d) ? Handler.MulWide : Handler.Invalid;
            case Mnemonic.Div:
                return Unary(i, ref d) ? Handler.Div : Handler.Invalid;
            case Mnemonic.Idiv:
                return Unary(i, ref d) ? Handler.Idiv : Handler.Invalid;
            case Mnemonic.Xchg:
                return Binary(i, ref d) ? Handler.Xchg : Handler.Invalid;
            case Mnemonic.Bt:
                return Binary(i, ref d) ? Handler.Bt : Handler.Invalid;
            case Mnemonic.Bts:
                return Binary(i, ref d) ? Handler.Bts : Handler.Invalid;
            case Mnemonic.Btr:
                return Binary(i, ref d) ? Handler.Btr : Handler.Invalid;
            case Mnemonic.Btc:
                return Binary(i, ref d) ? Handler.Btc : Handler.Invalid;
            case Mnemonic.Cbw:
                d.Size = 2;
                return Handler.SignExtendAccumulator;
            case Mnemonic.Cwde:
                d.Size = 4;
                return Handler.SignExtendAccumulator;
            case Mnemonic.Cdqe:
                d.Size = 8;
                return Handler.SignExtendAccumulator;
            case Mnemonic.Cwd:
                d.Size = 2;
                return Handler.SignExtendIntoDx;
            case Mnemonic.Cdq:
                d.Size = 4;
                return Handler.SignExtendIntoDx;
            case Mnemonic.Cqo:
                d.Size = 8;
                return Handler.SignExtendIntoDx;
            case Mnemonic.Jmp:
                return ChooseBranch(i, ref d, Handler.Jmp, Handler.JmpIndirect, Code.Jmp_rm64);
            case Mnemonic.Call:
                return ChooseBranch(i, ref d, Handler.Call, Handler.CallIndirect, Code.Call_rm64);
            case Mnemonic.Ret:
                if (i.Code == Code.Retnq)
                {
                    return Handler.Ret;
                }

                if (i.Code == Code.Retnq_imm16)
                {
                    d.Immediate = i.Immediate16;
                    return Handler.Ret;
                }

                return Handler.Invalid;
            case Mnemonic.Int3:
                return Handler.Int3;
            case Mnemonic.Int:
                d.Immediate = i.Immediate8;
                return Handler.Int;
            case Mnemonic.Ud2:
                return Handler.Ud2;
            case Mnemonic.Hlt:
                return Handler.Hlt;
            case Mnemonic.Cli:
                return Handler.Cli;
            case Mnemonic.Sti:
                return Handler.Sti;
            case Mnemonic.Cld:
                return Handler.Cld;
            case Mnemonic.Std:
                return Handler.Std;
            case Mnemonic.Clc:
                return Handler.Clc;
            case Mnemonic.Stc:
                return Handler.Stc;
            case Mnemonic.Cmc:
                return Handler.Cmc;
            case Mnemonic.Swapgs:
                return Handler.Swapgs;
            case Mnemonic.Syscall:
                return Handler.Syscall;
            case Mnemonic.Iretq:
                return Handler.Iretq;
            case Mnemonic.Movsb:
            case Mnemonic.Movsw:
            case Mnemonic.Movsq:
                return StringOp(i, ref d, Handler.Movs);
            case Mnemonic.Movsd when i.Code == Code.Movsd_m32_m32:
                return StringOp(i, ref d, Handler.Movs);
            case Mnemonic.Stosb:
            case Mnemonic.Stosw:
            case Mnemonic.Stosd:
            case Mnemonic.Stosq:
                return StringOp(i, ref d, Handler.Stos);
            case Mnemonic.Lodsb:
            case Mnemonic.Lodsw:
            case Mnemonic.Lodsd:
            case Mnemonic.Lodsq:
                return StringOp(i, ref d, Handler.Lods);
            case Mnemonic.Scasb:
            case Mnemonic.Scasw:
            case Mnemonic.Scasd:
            case Mnemonic.Scasq:
                return StringOp(i, ref d, Handler.Scas);
            case Mnemonic.Cmpsb:
            case Mnemonic.Cmpsw:
            case Mnemonic.Cmpsq:
                return StringOp(i, ref d, Handler.Cmps);
            case Mnemonic.Cmpsd when i.Code == Code.Cmpsd_m32_m32:
                return StringOp(i, ref d, Handler.Cmps);
            case Mnemonic.Xadd:
                return Binary(i, ref d) && d.Src == OperandKind.Register ? Handler.Xadd : Handler.Invalid;
            case Mnemonic.Cmpxchg:
                return Binary(i, ref d) && d.Src == OperandKind.Register ? Handler.Cmpxchg : Handler.Invalid;
            case Mnemonic.Bsf:
                return Binary(i, ref d) && d.Dst == OperandKind.Register && d.Src != OperandKind.Immediate ? Handler.Bsf : Handler.Invalid;
            case Mnemonic.Bsr:
                return Binary(i, ref d) && d.Dst == OperandKind.Register && d.Src != OperandKind.Immediate ? Handler.Bsr : Handler.Invalid;
            case Mnemonic.Loop:
            case Mnemonic.Loope:
            case Mnemonic.Loopne:
                if (i.Op0Kind != OpKind.NearBranch64 || i.Code is not (Code.Loop_rel8_64_RCX or Code.Loope_rel8_64_RCX or Code.Loopne_rel8_64_RCX))
                {
                    return Handler.Invalid; // the ECX-counted (0x67) forms are not modelled
                }

                d.Immediate = i.NearBranchTarget;
                d.Condition = (byte)(i.Mnemonic == Mnemonic.Loope ? 1 : i.Mnemonic == Mnemonic.Loopne ? 2 : 0);
                return Handler.Loop;
            case Mnemonic.Jrcxz:
            case Mnemonic.Jecxz:
                if (i.Op0Kind != OpKind.NearBranch64)
                {
                    return Handler.Invalid;
                }

                d.Immediate = i.NearBranchTarget;
                d.Size = (byte)(i.Mnemonic == Mnemonic.Jrcxz ? 8 : 4);
                return Handler.Jrcxz;
            case Mnemonic.Rdtsc:
                return Handler.Rdtsc;
            case Mnemonic.Cpuid:
                return Handler.Cpuid;
            case Mnemonic.Rdmsr:
                return Handler.Rdmsr;
            case Mnemonic.Wrmsr:
                return Handler.Wrmsr;
            case Mnemonic.Vmcall:
                return Handler.Vmcall;
            case Mnemonic.Clac:
                return Handler.Clac;
            case Mnemonic.Stac:
                return Handler.Stac;
            case Mnemonic.Invlpg:
            case Mnemonic.Wbinvd:
            case Mnemonic.Invd:
                return Handler.PrivilegedNop;
            default:
                if (i.IsJccShortOrNear)
                {
                    d.Immediate = i.NearBranchTarget;
                    d.Condition = ConditionBits(i.ConditionCode);
                    return Handler.Jcc;
                }

                if (i.Mnemonic is >= Mnemonic.Cmova and <= Mnemonic.Cmovs && i.ConditionCode != ConditionCode.None)
                {
                    d.Condition = ConditionBits(i.ConditionCode);
                    return Binary(i, ref d) && d.Dst == OperandKind.Register && d.Src != OperandKind.Immediate ? Handler.Cmovcc : Handler.Invalid;
                }

                if (i.Mnemonic is >= Mnemonic.Seta and <= Mnemonic.Sets && i.ConditionCode != ConditionCode.None)
                {
                    d.Condition = ConditionBits(i.ConditionCode);
                    return Unary(i, ref d) ? Handler.Setcc : Handler.Invalid;
                }

                return Handler.Invalid;
        }
    }

    private static Handler ChooseMov(in Instruction i, ref DecodedInstruction d)
    {
        if (i.Op0Kind == OpKind.Register && i.Op0Register.IsCR() && i.Op1Kind == OpKind.Register)
        {
            d.Condition = (byte)(i.Op0Register - Register.CR0);
            d.SrcReg = Gpr(i.Op1Register);
            return d.SrcReg < 16 ? Handler.MovToCr : Handler.Invalid;
        }

        if (i.Op1Kind == OpKind.Register && i.Op1Register.IsCR() && i.Op0Kind == OpKind.Register)
        {
            d.Condition = (byte)(i.Op1Register - Register.CR0);
            d.DstReg = Gpr(i.Op0Register);
            d.Dst = OperandKind.Register;
            d.Size = 8;
            return d.DstReg < 16 ? Handler.MovFromCr : Handler.Invalid;
        }

        if (!Binary(i, ref d))
        {
            return Handler.Invalid;
        }

        if (d.Dst == OperandKind.Register && d.Src == OperandKind.Immediate)
        {
            return Handler.MovRI;
        }

        if (d.Size == 8 && d.Dst == OperandKind.Register && d.Src == OperandKind.Register)
        {
            return Handler.MovRR64;
        }

        if (d.Size == 8 && d.Dst == OperandKind.Register && d.Src == OperandKind.Memory)
        {
            return Handler.MovRM64;
        }

        if (d.Size == 8 && d.Dst == OperandKind.Memory && d.Src == OperandKind.Register)
        {
            return Handler.MovMR64;
        }

        return Handler.Mov;
    }

    private static Handler ChooseImul(in Instruction i, ref DecodedInstruction d)
    {
        switch (i.OpCount)
        {
            case 1:
                return Unary(i, ref d) ? Handler.ImulWide : Handler.Invalid;
            case 2:
                return Binary(i, ref d) ? Handler.ImulTruncating : Handler.Invalid;
            case 3:
                if (!Binary(i, ref d))
                {
                    return Handler.Invalid;
                }

                d.Immediate = i.GetImmediate(2);
                return Handler.ImulImmediate;
            default:
                return Handler.Invalid;
        }
    }

    private static Handler ChooseBranch(in Instruction i, ref DecodedInstruction d, Handler direct, Handler indirect, Code indirectCode)
    {
        if (i.Op0Kind == OpKind.NearBranch64)
        {
            d.Immediate = i.NearBranchTarget;
            return direct;
        }

        if (i.Code == indirectCode && Unary(i, ref d))
        {
            return indirect;
        }

        return Handler.Invalid;
    }

    private static Handler Alu(in Instruction i, ref DecodedInstruction d, Handler general, Handler registerImmediate64, Handler registerRegister64)
    {
        if (!Binary(i, ref d))
        {
            return Handler.Invalid;
        }

        if (d.Size == 8 && d.Dst == OperandKind.Register)
        {
            if (d.Src == OperandKind.Immediate && registerImmediate64 != Handler.Invalid)
            {
                return registerImmediate64;
            }

            if (d.Src == OperandKind.Register && registerRegister64 != Handler.Invalid)
            {
                return registerRegister64;
            }
        }

        return general;
    }

    private static Handler StringOp(in Instruction i, ref DecodedInstruction d, Handler h)
    {
        bool compares = h is Handler.Scas or Handler.Cmps;
        if (i.HasRepnePrefix && !compares)
        {
            return Handler.Invalid;
        }

        d.Size = (byte)(i.Mnemonic switch
        {
            Mnemonic.Movsb or Mnemonic.Stosb or Mnemonic.Lodsb or Mnemonic.Scasb or Mnemonic.Cmpsb => 1,
            Mnemonic.Movsw or Mnemonic.Stosw or Mnemonic.Lodsw or Mnemonic.Scasw or Mnemonic.Cmpsw => 2,
            Mnemonic.Movsd or Mnemonic.Stosd or Mnemonic.Lodsd or Mnemonic.Scasd or Mnemonic.Cmpsd => 4,
            _ => 8,
        });
        if (i.HasRepPrefix || i.HasRepePrefix)
        {
            d.Flags |= DecodedFlags.Rep;
        }
        else if (i.HasRepnePrefix)
        {
            d.Flags |= DecodedFlags.Rep | DecodedFlags.RepNe;
        }

        for (int n = 0; n < i.OpCount; n++)
        {
            if (i.GetOpKind(n) is OpKind.MemoryESEDI or OpKind.MemorySegEDI or OpKind.MemorySegESI or OpKind.MemorySegDI or OpKind.MemorySegSI or OpKind.MemoryESDI)
            {
                return Handler.Invalid; // 32-bit addressing of string operands is not modelled
            }
        }

        d.Segment = SegmentNumber(i.MemorySegment);
        return h;
    }

    private static Handler SetSourceSize(in Instruction i, ref DecodedInstruction d, Handler h)
    {
        d.SrcSize = (byte)(i.Op1Kind == OpKind.Register ? i.Op1Register.GetSize() : i.MemorySize.GetSize());
        return h;
    }

    private static bool Unary(in Instruction i, ref DecodedInstruction d)
    {
        if (!Operand(i, 0, ref d.Dst, ref d.DstReg, ref d))
        {
            return false;
        }

        d.Size = SizeOf(i, 0);
        return d.Size is 1 or 2 or 4 or 8;
    }

    private static bool Binary(in Instruction i, ref DecodedInstruction d)
    {
        if (i.OpCount < 2 || !Operand(i, 0, ref d.Dst, ref d.DstReg, ref d) || !Operand(i, 1, ref d.Src, ref d.SrcReg, ref d))
        {
            return false;
        }

        d.Size = SizeOf(i, 0);
        return d.Size is 1 or 2 or 4 or 8;
    }

    private static byte SizeOf(in Instruction i, int n) => i.GetOpKind(n) switch
    {
        OpKind.Register => (byte)i.GetOpRegister(n).GetSize(),
        OpKind.Memory => (byte)i.MemorySize.GetSize(),
        OpKind.Immediate8 => 1,
        OpKind.Immediate16 or OpKind.Immediate8to16 => 2,
        OpKind.Immediate32 or OpKind.Immediate8to32 => 4,
        _ => 8,
    };

    private static bool Operand(in Instruction i, int n, ref OperandKind kind, ref byte reg, ref DecodedInstruction d)
    {
        switch (i.GetOpKind(n))
        {
            case OpKind.Register:
                reg = Gpr(i.GetOpRegister(n));
                kind = OperandKind.Register;
                return reg != DecodedInstruction.NoRegister;
            case OpKind.Memory:
                kind = OperandKind.Memory;
                return Memory(i, ref d);
            case OpKind.Immediate8:
            case OpKind.Immediate16:
            case OpKind.Immediate32:
            case OpKind.Immediate64:
            case OpKind.Immediate8to16:
            case OpKind.Immediate8to32:
            case OpKind.Immediate8to64:
            case OpKind.Immediate32to64:
                kind = OperandKind.Immediate;
                d.Immediate = i.GetImmediate(n);
                return true;
            default:
                return false;
        }
    }

    private static bool Memory(in Instruction i, ref DecodedInstruction d)
    {
        var b = i.MemoryBase;
        var x = i.MemoryIndex;
        if (b == Register.EIP)
        {
            return false;
        }

        d.Displacement = i.MemoryDisplacement64;
        if (b != Register.None && b != Register.RIP)
        {
            d.Base = Gpr(b);
            if (d.Base == DecodedInstruction.NoRegister)
            {
                return false;
            }

            if (b.IsGPR32())
            {
                d.Flags |= DecodedFlags.Address32;
            }

            if (d.Base is 4 or 5)
            {
                d.Flags |= DecodedFlags.StackSegment;
            }
        }

        if (x != Register.None)
        {
            d.Index = Gpr(x);
            if (d.Index == DecodedInstruction.NoRegister)
            {
                return false;
            }

            if (x.IsGPR32())
            {
                d.Flags |= DecodedFlags.Address32;
            }

            d.Scale = (byte)(i.MemoryIndexScale switch { 1 => 0, 2 => 1, 4 => 2, _ => 3 });
        }

        if (b == Register.None && x == Register.None && i.MemoryDisplSize == 4)
        {
            d.Displacement = (ulong)(long)(int)(uint)i.MemoryDisplacement64; // disp32 absolute is sign-extended
        }

        d.Segment = SegmentNumber(i.MemorySegment);
        return true;
    }

    private static byte SegmentNumber(Register segment) => segment switch
    {
        Register.FS => 4,
        Register.GS => 5,
        _ => 0,
    };

    /// <summary>Maps an Iced GPR of any width to 0-15, or AH/CH/DH/BH to 16-19; anything else to <see cref="DecodedInstruction.NoRegister"/>.</summary>
    internal static byte Gpr(Register r)
    {
        if (r is Register.AH or Register.CH or Register.DH or Register.BH)
        {
            return (byte)(16 + (r - Register.AH));
        }

        if (!r.IsGPR())
        {
            return DecodedInstruction.NoRegister;
        }

        return (byte)(r.GetFullRegister() - Register.RAX);
    }

    private static byte ConditionBits(ConditionCode cc) => cc switch
    {
        ConditionCode.o => 0,
        ConditionCode.no => 1,
        ConditionCode.b => 2,
        ConditionCode.ae => 3,
        ConditionCode.e => 4,
        ConditionCode.ne => 5,
        ConditionCode.be => 6,
        ConditionCode.a => 7,
        ConditionCode.s => 8,
        ConditionCode.ns => 9,
        ConditionCode.p => 10,
        ConditionCode.np => 11,
        ConditionCode.l => 12,
        ConditionCode.ge => 13,
        ConditionCode.le => 14,
        _ => 15,
    };

    private static bool WritesRsp(in Instruction i, Handler h, in DecodedInstruction d)
    {
        switch (h)
        {
            case Handler.Push:
            case Handler.PushR64:
            case Handler.Cmp:
            case Handler.CmpRI64:
            case Handler.CmpRR64:
            case Handler.Test:
            case Handler.TestRR64:
            case Handler.Bt:
            case Handler.JmpIndirect:
            case Handler.CallIndirect:
            case Handler.MovToCr:
            case Handler.Loop:
            case Handler.Jrcxz:
            case Handler.Rdtsc:
            case Handler.Lods:
            case Handler.Scas:
            case Handler.Cmps:
                return false;
            case Handler.Xadd:
            case Handler.Xchg:
                return (d.Dst == OperandKind.Register && d.DstReg == 4) || (d.Src == OperandKind.Register && d.SrcReg == 4);
            default:
                return d.Dst == OperandKind.Register && d.DstReg == 4 && d.Size >= 4 && i.OpCount >= 1;
        }
    }
}
