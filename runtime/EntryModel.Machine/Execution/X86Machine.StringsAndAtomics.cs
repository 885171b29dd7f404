using System.Numerics;
using EntryModel.Machine.Cpu;
using EntryModel.Machine.Decoding;
using EntryModel.Machine.Delivery;

namespace EntryModel.Machine.Execution;

/// <summary>
/// XADD, CMPXCHG, BSF/BSR, the reading string instructions (LODS, SCAS, CMPS), LOOP/LOOPcc/JRCXZ and
/// RDTSC. BSF/BSR with a zero source do what the host CPU (AMD EPYC) does: ZF=1 and the destination
/// is left unchanged (not even zero-extended); their other status flags (undefined) are kept.
/// </summary>
public sealed partial class X86Machine
{
    /// <summary>XADD: TEMP = SRC + DEST; SRC = DEST; DEST = TEMP; flags as ADD.</summary>
    private bool ExchangeAndAdd(ref DecodedInstruction d)
    {
        int size = d.Size;
        ulong b = ReadReg(d.SrcReg, size);
        if (!ReadDestination(ref d, size, out ulong a, out ulong address))
        {
            return false;
        }

        ulong res = (a + b) & Mask(size);
        if (d.Dst == OperandKind.Register)
        {
            WriteReg(d.SrcReg, size, a);
            WriteReg(d.DstReg, size, res);
        }
        else
        {
            if (!WriteMemory(ref d, address, size, res))
            {
                return false;
            }

            WriteReg(d.SrcReg, size, a);
        }

        State.SetLazy(FlagOp.Add, size * 8, a, b, res);
        return true;
    }

    /// <summary>
    /// CMPXCHG: flags as CMP accumulator, DEST. Equal: DEST = SRC. Not equal: accumulator = DEST; a memory
    /// destination is written back with its own value, a register destination is not written at all.
    /// </summary>
    private bool CompareExchange(ref DecodedInstruction d)
    {
        int size = d.Size;
        if (!ReadDestination(ref d, size, out ulong dest, out ulong address))
        {
            return false;
        }

        ulong acc = ReadReg(0, size);
        ulong src = ReadReg(d.SrcReg, size);
        bool equal = acc == dest;
        if (d.Dst == OperandKind.Memory)
        {
            if (!WriteMemory(ref d, address, size, equal ? src : dest))
            {
                return false;
            }
        }
        else if (equal)
        {
            WriteReg(d.DstReg, size, src);
        }

        if (!equal)
        {
            WriteReg(0, size, dest);
        }

        State.SetLazy(FlagOp.Sub, size * 8, acc, dest, (acc - dest) & Mask(size));
        return true;
    }

    /// <summary>BSF/BSR: ZF = (source == 0); otherwise DEST = index of the lowest/highest set bit.</summary>
    private bool BitScan(ref DecodedInstruction d, bool reverse)
    {
        int size = d.Size;
        if (!ReadSource(ref d, size, out ulong src))
        {
            return false;
        }

        if (src == 0)
        {
            State.SetStatusFlags(RFlags.ZF, RFlags.ZF);
            return true;
        }

        ulong index = reverse ? (ulong)BitOperations.Log2(src) : (ulong)BitOperations.TrailingZeroCount(src);
        WriteReg(d.DstReg, size, index);
        State.SetStatusFlags(RFlags.ZF, 0);
        return true;
    }

    private ulong SourceSegmentBase(ref DecodedInstruction d) => d.Segment == 5 ? State.GsBase : d.Segment == 4 ? State.FsBase : 0;

    private ulong StringStep(int size) => (State.FlagsStore & RFlags.DF) != 0 ? (ulong)-size : (ulong)size;

    /// <summary>LODS: accumulator = [RSI]; with REP, RCX times (the last element stays).</summary>
    private bool LoadString(ref DecodedInstruction d)
    {
        int size = d.Size;
        bool rep = (d.Flags & DecodedFlags.Rep) != 0;
        ulong step = StringStep(size);
        ulong segment = SourceSegmentBase(ref d);
        while (!rep || R(1) != 0)
        {
            if (!Memory.TryRead(R(6) + segment, size, out ulong v))
            {
                return MemoryFault(stack: false);
            }

            WriteReg(0, size, v);
            R(6) += step;
            if (!rep)
            {
                break;
            }

            R(1)--;
        }

        return true;
    }

    /// <summary>
    /// SCAS (accumulator - [RDI]) and CMPS ([RSI] - [RDI]): flags as CMP. With REPE/REPNE: repeat while
    /// RCX != 0, stopping after an element that leaves ZF=0 (REPE) or ZF=1 (REPNE); RCX=0 keeps the flags.
    /// </summary>
    private bool CompareString(ref DecodedInstruction d, bool withSource)
    {
        int size = d.Size;
        bool rep = (d.Flags & DecodedFlags.Rep) != 0;
        bool repne = (d.Flags & DecodedFlags.RepNe) != 0;
        ulong step = StringStep(size);
        ulong segment = SourceSegmentBase(ref d);
        while (!rep || R(1) != 0)
        {
            ulong a;
            if (withSource)
            {
                if (!Memory.TryRead(R(6) + segment, size, out a))
                {
                    return MemoryFault(stack: false);
                }
            }
            else
            {
                a = ReadReg(0, size);
            }

            if (!Memory.TryRead(R(7), size, out ulong b))
            {
                return MemoryFault(stack: false);
            }

            State.SetLazy(FlagOp.Sub, size * 8, a, b, (a - b) & Mask(size));
            if (withSource)
            {
                R(6) += step;
            }

            R(7) += step;
            if (!rep)
            {
                break;
            }

            R(1)--;
            if ((a == b) == repne)
            {
                break;
            }
        }

        return true;
    }

    /// <summary>LOOP/LOOPE/LOOPNE: RCX -= 1 (flags untouched); branch when RCX != 0 and, for LOOPE/LOOPNE, ZF is 1/0.</summary>
    private bool Loop(ref DecodedInstruction d)
    {
        ulong count = R(1) - 1;
        R(1) = count;
        bool taken = count != 0 && d.Condition switch
        {
            1 => State.Zero,
            2 => !State.Zero,
            _ => true,
        };
        if (taken)
        {
            State.Rip = d.Immediate;
        }

        return true;
    }

    /// <summary>RDTSC: EDX:EAX = a deterministic time-stamp counter, the instructions retired so far; #GP at CPL &gt; 0 when CR4.TSD is set.</summary>
    private bool ReadTimeStampCounter()
    {
        if ((State.Cr4 & 4) != 0 && State.Cpl != 0)
        {
            return Fault(ExceptionVector.GeneralProtection, 0);
        }

        ulong tsc = (ulong)Retired;
        R(0) = (uint)tsc;
        R(2) = tsc >> 32;
        return true;
    }
}
