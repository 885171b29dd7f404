using System.Numerics;
using EntryModel.Machine.Cpu;
using EntryModel.Machine.Decoding;
using EntryModel.Machine.Delivery;

namespace EntryModel.Machine.Execution;

/// <summary>
/// Integer instructions and their flags. Defined flags follow the SDM; where the SDM leaves a flag
/// undefined the model does what this project's host CPU (AMD EPYC, Zen) was measured to do:
/// AF=0 after logic ops; AF=1 after a shift by a non-zero count, OF = CF XOR MSB(result) for SHL and
/// 0 for SHR/SAR when the count exceeds 1; MUL/IMUL write only CF and OF; DIV/IDIV clear SF, ZF and
/// PF, set AF and keep CF and OF; BT* write only CF. (QEMU/Unicorn differ: they compute SF/ZF/PF
/// of multiplies from the result and leave AF 0 after shifts, so differential tests against Unicorn
/// mask those flags.)
/// </summary>
public sealed partial class X86Machine
{
    private bool Alu(ref DecodedInstruction d, Handler op)
    {
        int size = d.Size;
        if (!ReadSource(ref d, size, out ulong b))
        {
            return false;
        }

        if (!ReadDestination(ref d, size, out ulong a, out ulong address))
        {
            return false;
        }

        ulong mask = Mask(size);
        bool carryIn = false;
        ulong res;
        FlagOp flags;
        switch (op)
        {
            case Handler.Add:
                res = (a + b) & mask;
                flags = FlagOp.Add;
                break;
            case Handler.Adc:
                carryIn = State.Carry;
                res = (a + b + (carryIn ? 1UL : 0)) & mask;
                flags = FlagOp.Adc;
                break;
            case Handler.Sub:
            case Handler.Cmp:
                res = (a - b) & mask;
                flags = FlagOp.Sub;
                break;
            case Handler.Sbb:
                carryIn = State.Carry;
                res = (a - b - (carryIn ? 1UL : 0)) & mask;
                flags = FlagOp.Sbb;
                break;
            case Handler.And:
            case Handler.Test:
                res = a & b;
                flags = FlagOp.Logic;
                break;
            case Handler.Or:
                res = a | b;
                flags = FlagOp.Logic;
                break;
            default:
                res = a ^ b;
                flags = FlagOp.Logic;
                break;
        }

        if (op is not (Handler.Cmp or Handler.Test))
        {
            if (d.Dst == OperandKind.Register)
            {
                WriteReg(d.DstReg, size, res);
            }
            else if (!WriteMemory(ref d, address, size, res))
            {
                return false;
            }
        }

        State.SetLazy(flags, size * 8, a, b, res);
        State.LazyAux = carryIn;
        return true;
    }

    /// <summary>INC, DEC, NEG, NOT on a register or memory operand.</summary>
    private bool Unary(ref DecodedInstruction d, Handler op)
    {
        int size = d.Size;
        if (!ReadDestination(ref d, size, out ulong a, out ulong address))
        {
            return false;
        }

        ulong mask = Mask(size);
        ulong res = op switch
        {
            Handler.Inc => (a + 1) & mask,
            Handler.Dec => (a - 1) & mask,
            Handler.Neg => (0 - a) & mask,
            _ => ~a & mask,
        };

        if (d.Dst == OperandKind.Register)
        {
            WriteReg(d.DstReg, size, res);
        }
        else if (!WriteMemory(ref d, address, size, res))
        {
            return false;
        }

        switch (op)
        {
            case Handler.Inc:
            case Handler.Dec:
                bool carry = State.Carry;
                State.SetLazy(op == Handler.Inc ? FlagOp.Inc : FlagOp.Dec, size * 8, a, 1, res);
                State.LazyAux = carry;
                break;
            case Handler.Neg:
                State.SetLazy(FlagOp.Sub, size * 8, 0, a, res);
                break;
        }

        return true;
    }

    /// <summary>SHL/SHR/SAR/ROL/ROR/RCL/RCR by an immediate or CL.</summary>
    private bool Shift(ref DecodedInstruction d, Handler op)
    {
        int size = d.Size;
        int bits = size * 8;
        int count = (int)((d.Src == OperandKind.Register ? R(1) : d.Immediate) & (size == 8 ? 63UL : 31UL));
        if (!ReadDestination(ref d, size, out ulong a, out ulong address))
        {
            return false;
        }

        ulong mask = Mask(size);
        ulong res = a;
        ulong flags = 0;
        ulong flagMask = 0;
        if (count != 0)
        {
            switch (op)
            {
                case Handler.Shl:
                {
                    ulong t = a << (count - 1);
                    res = (t << 1) & mask;
                    ulong cf = (t >> (bits - 1)) & 1;
                    flags = cf | ((((t ^ res) >> (bits - 1)) & 1) << 11) | ResultFlags(res, bits) | RFlags.AF;
                    flagMask = RFlags.Arithmetic;
                    break;
                }

                case Handler.Shr:
                {
                    ulong t = a >> (count - 1);
                    res = t >> 1;
                    flags = (t & 1) | ((((t ^ res) >> (bits - 1)) & 1) << 11) | ResultFlags(res, bits) | RFlags.AF;
                    flagMask = RFlags.Arithmetic;
                    break;
                }

                case Handler.Sar:
                {
                    long signed = (long)(a << (64 - bits)) >> (64 - bits);
                    ulong t = (ulong)(signed >> (count - 1));
                    res = (ulong)((long)t >> 1) & mask;
                    flags = (t & 1) | ResultFlags(res, bits) | RFlags.AF;
                    flagMask = RFlags.Arithmetic;
                    break;
                }

                case Handler.Rol:
                {
                    int n = count % bits;
                    res = n == 0 ? a : ((a << n) | (a >> (bits - n))) & mask;
                    ulong cf = res & 1;
                    flags = cf | ((((res >> (bits - 1)) & 1) ^ cf) << 11);
                    flagMask = RFlags.CF | RFlags.OF;
                    break;
                }

                case Handler.Rcl:
                case Handler.Rcr:
                {
                    // Through CF: a (bits+1)-bit rotation; 8- and 16-bit counts wrap modulo 9 and 17.
                    int n = bits < 32 ? count % (bits + 1) : count;
                    ulong cf = State.Carry ? 1UL : 0;
                    for (int i = 0; i < n; i++)
                    {
                        if (op == Handler.Rcl)
                        {
                            ulong outBit = (res >> (bits - 1)) & 1;
                            res = ((res << 1) | cf) & mask;
                            cf = outBit;
                        }
                        else
                        {
                            ulong outBit = res & 1;
                            res = (res >> 1) | (cf << (bits - 1));
                            cf = outBit;
                        }
                    }

                    ulong msb = (res >> (bits - 1)) & 1;
                    ulong of = op == Handler.Rcl ? msb ^ cf : msb ^ ((res >> (bits - 2)) & 1);
                    flags = cf | (of << 11);
                    flagMask = RFlags.CF | RFlags.OF;
                    break;
                }

                default:
                {
                    int n = count % bits;
                    res = n == 0 ? a : ((a >> n) | (a << (bits - n))) & mask;
                    ulong msb = (res >> (bits - 1)) & 1;
                    flags = msb | ((msb ^ ((res >> (bits - 2)) & 1)) << 11);
                    flagMask = RFlags.CF | RFlags.OF;
                    break;
                }
            }
        }

        if (d.Dst == OperandKind.Register)
        {
            WriteReg(d.DstReg, size, res);
        }
        else if (!WriteMemory(ref d, address, size, res))
        {
            return false;
        }

        if (flagMask != 0)
        {
            State.SetStatusFlags(flagMask, flags);
        }

        return true;
    }

    /// <summary>PF, ZF and SF of a result.</summary>
    private static ulong ResultFlags(ulong res, int bits)
    {
        ulong f = 0;
        if ((BitOperations.PopCount((uint)(res & 0xFF)) & 1) == 0)
        {
            f |= RFlags.PF;
        }

        if (res == 0)
        {
            f |= RFlags.ZF;
        }

        if (((res >> (bits - 1)) & 1) != 0)
        {
            f |= RFlags.SF;
        }

        return f;
    }

    /// <summary>MUL/IMUL: CF = OF = the product did not fit; the other status flags are kept (as the host does).</summary>
    private void SetMultiplyFlags(bool overflow)
    {
        State.SetStatusFlags(RFlags.CF | RFlags.OF, overflow ? RFlags.CF | RFlags.OF : 0);
    }

    /// <summary>After a successful DIV/IDIV: SF=ZF=PF=0 and AF=1, CF and OF kept (as the host does).</summary>
    private void SetDivideFlags()
    {
        State.SetStatusFlags(RFlags.SF | RFlags.ZF | RFlags.PF | RFlags.AF, RFlags.AF);
    }

    private bool ReadRm(ref DecodedInstruction d, out ulong value)
    {
        if (d.Dst == OperandKind.Register)
        {
            value = ReadReg(d.DstReg, d.Size);
            return true;
        }

        return ReadMemory(ref d, EffectiveAddress(ref d), d.Size, out value);
    }

    /// <summary>One-operand MUL/IMUL: RDX:RAX (or AX, DX:AX, EDX:EAX) = accumulator * operand.</summary>
    private bool MultiplyWide(ref DecodedInstruction d, bool signed)
    {
        if (!ReadRm(ref d, out ulong src))
        {
            return false;
        }

        int size = d.Size;
        int bits = size * 8;
        ulong acc = ReadReg(0, size);
        ulong low;
        ulong high;
        bool overflow;
        if (size == 8)
        {
            if (signed)
            {
                var p = (Int128)(long)acc * (long)src;
                low = (ulong)p;
                high = (ulong)(p >> 64);
                overflow = p != (long)low;
            }
            else
            {
                high = Math.BigMul(acc, src, out low);
                overflow = high != 0;
            }
        }
        else
        {
            ulong full;
            if (signed)
            {
                long p = SignExtend(acc, bits) * SignExtend(src, bits);
                full = (ulong)p;
                overflow = p != SignExtend((ulong)p & Mask(size), bits);
            }
            else
            {
                full = acc * src;
                overflow = (full >> bits) != 0;
            }

            low = full & Mask(size);
            high = (full >> bits) & Mask(size);
        }

        if (size == 1)
        {
            WriteReg(0, 2, (high << 8) | low);
        }
        else
        {
            WriteReg(0, size, low);
            WriteReg(2, size, high);
        }

        SetMultiplyFlags(overflow);
        return true;
    }

    /// <summary>Two- and three-operand IMUL: the product truncated to the destination register.</summary>
    private bool MultiplyTruncating(ref DecodedInstruction d, bool immediate)
    {
        int size = d.Size;
        int bits = size * 8;
        ulong a;
        ulong b;
        if (immediate)
        {
            if (d.Src == OperandKind.Register)
            {
                a = ReadReg(d.SrcReg, size);
            }
            else if (!ReadMemory(ref d, EffectiveAddress(ref d), size, out a))
            {
                return false;
            }

            b = d.Immediate & Mask(size);
        }
        else
        {
            if (!ReadSource(ref d, size, out b))
            {
                return false;
            }

            a = ReadReg(d.DstReg, size);
        }

        ulong low;
        bool overflow;
        if (size == 8)
        {
            var p = (Int128)(long)a * (long)b;
            low = (ulong)p;
            overflow = p != (long)low;
        }
        else
        {
            long p = SignExtend(a, bits) * SignExtend(b, bits);
            low = (ulong)p & Mask(size);
            overflow = p != SignExtend(low, bits);
        }

        WriteReg(d.DstReg, size, low);
        SetMultiplyFlags(overflow);
        return true;
    }

    /// <summary>DIV/IDIV: #DE on a zero divisor or a quotient that does not fit.</summary>
    private bool Divide(ref DecodedInstruction d, bool signed)
    {
        if (!ReadRm(ref d, out ulong divisor))
        {
            return false;
        }

        if (divisor == 0)
        {
            return Fault(ExceptionVector.DivideError, 0);
        }

        int size = d.Size;
        int bits = size * 8;
        ulong mask = Mask(size);
        if (size == 8)
        {
            if (signed)
            {
                var dividend = (Int128)(((UInt128)R(2) << 64) | R(0));
                long dv = (long)divisor;
                if (dv == -1 && dividend == Int128.MinValue)
                {
                    return Fault(ExceptionVector.DivideError, 0);
                }

                Int128 q = dividend / dv;
                Int128 r = dividend % dv;
                if (q > long.MaxValue || q < long.MinValue)
                {
                    return Fault(ExceptionVector.DivideError, 0);
                }

                R(0) = (ulong)(long)q;
                R(2) = (ulong)(long)r;
                SetDivideFlags();
            }
            else
            {
                var dividend = ((UInt128)R(2) << 64) | R(0);
                UInt128 q = dividend / divisor;
                if (q > ulong.MaxValue)
                {
                    return Fault(ExceptionVector.DivideError, 0);
                }

                R(0) = (ulong)q;
                R(2) = (ulong)(dividend % divisor);
                SetDivideFlags();
            }

            return true;
        }

        ulong high = size == 1 ? (ReadReg(0, 2) >> 8) : ReadReg(2, size);
        ulong low = ReadReg(0, size);
        ulong quotient;
        ulong remainder;
        if (signed)
        {
            long dividend = (long)((high << bits) | low) << (64 - 2 * bits) >> (64 - 2 * bits);
            long dv = SignExtend(divisor, bits);
            if (dv == -1 && dividend == long.MinValue)
            {
                return Fault(ExceptionVector.DivideError, 0);
            }

            long q = dividend / dv;
            long r = dividend % dv;
            if (q != SignExtend((ulong)q & mask, bits))
            {
                return Fault(ExceptionVector.DivideError, 0);
            }

            quotient = (ulong)q & mask;
            remainder = (ulong)r & mask;
        }
        else
        {
            ulong dividend = (high << bits) | low;
            ulong q = dividend / divisor;
            if (q > mask)
            {
                return Fault(ExceptionVector.DivideError, 0);
            }

            quotient = q;
            remainder = dividend % divisor;
        }

        if (size == 1)
        {
            WriteReg(0, 2, (remainder << 8) | quotient);
        }
        else
        {
            WriteReg(0, size, quotient);
            WriteReg(2, size, remainder);
        }

        SetDivideFlags();
        return true;
    }

    /// <summary>BT/BTS/BTR/BTC: CF = the selected bit; memory forms with a register offset address the bit string.</summary>
    private bool BitTest(ref DecodedInstruction d, Handler op)
    {
        int size = d.Size;
        int bits = size * 8;
        ulong a;
        ulong address = 0;
        int bit;
        if (d.Src == OperandKind.Immediate)
        {
            bit = (int)(d.Immediate & (ulong)(bits - 1));
        }
        else
        {
            ulong offset = ReadReg(d.SrcReg, size);
            bit = (int)(offset & (ulong)(bits - 1));
            if (d.Dst == OperandKind.Memory)
            {
                long signedOffset = SignExtend(offset, bits);
                address = (ulong)((signedOffset >> BitOperations.Log2((uint)bits)) * size);
            }
        }

        if (d.Dst == OperandKind.Register)
        {
            a = ReadReg(d.DstReg, size);
        }
        else
        {
            address += EffectiveAddress(ref d);
            if (!ReadMemory(ref d, address, size, out a))
            {
                return false;
            }
        }

        ulong cf = (a >> bit) & 1;
        if (op != Handler.Bt)
        {
            ulong res = op switch
            {
                Handler.Bts => a | (1UL << bit),
                Handler.Btr => a & ~(1UL << bit),
                _ => a ^ (1UL << bit),
            };
            if (d.Dst == OperandKind.Register)
            {
                WriteReg(d.DstReg, size, res);
            }
            else if (!WriteMemory(ref d, address, size, res))
            {
                return false;
            }
        }

        State.SetStatusFlags(RFlags.CF, cf);
        return true;
    }

    private static long SignExtend(ulong value, int bits) => bits == 64 ? (long)value : (long)(value << (64 - bits)) >> (64 - bits);
}
