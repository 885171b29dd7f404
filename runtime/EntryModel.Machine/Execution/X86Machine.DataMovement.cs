using EntryModel.Machine.Cpu;
using EntryModel.Machine.Decoding;

namespace EntryModel.Machine.Execution;

/// <summary>MOV and friends, PUSH/POP in their general forms, XCHG, CMOVcc, SETcc and the string moves.</summary>
public sealed partial class X86Machine
{
    private bool Move(ref DecodedInstruction d)
    {
        if (!ReadSource(ref d, d.Size, out ulong v))
        {
            return false;
        }

        if (d.Dst == OperandKind.Register)
        {
            WriteReg(d.DstReg, d.Size, v);
            return true;
        }

        return WriteMemory(ref d, EffectiveAddress(ref d), d.Size, v);
    }

    private bool Extend(ref DecodedInstruction d, bool signed)
    {
        int from = d.SrcSize;
        ulong v;
        if (d.Src == OperandKind.Register)
        {
            v = ReadReg(d.SrcReg, from);
        }
        else if (!ReadMemory(ref d, EffectiveAddress(ref d), from, out v))
        {
            return false;
        }

        WriteReg(d.DstReg, d.Size, signed ? (ulong)SignExtend(v, from * 8) : v);
        return true;
    }

    private bool Push(ref DecodedInstruction d)
    {
        int size = d.Size;
        ulong v;
        switch (d.Dst)
        {
            case OperandKind.Register:
                v = ReadReg(d.DstReg, size);
                break;
            case OperandKind.Immediate:
                v = d.Immediate & Mask(size);
                break;
            default:
                if (!ReadMemory(ref d, EffectiveAddress(ref d), size, out v))
                {
                    return false;
                }

                break;
        }

        ulong sp = R(4) - (ulong)size;
        if (!Memory.TryWrite(sp, size, v))
        {
            return MemoryFault(stack: true);
        }

        R(4) = sp;
        return true;
    }

    private bool Pop(ref DecodedInstruction d)
    {
        int size = d.Size;
        ulong sp = R(4);
        if (!Memory.TryRead(sp, size, out ulong v))
        {
            return MemoryFault(stack: true);
        }

        if (d.Dst == OperandKind.Register)
        {
            R(4) = sp + (ulong)size;
            WriteReg(d.DstReg, size, v);
            return true;
        }

        // The destination address is computed with RSP already incremented (SDM, POP).
        R(4) = sp + (ulong)size;
        if (!WriteMemory(ref d, EffectiveAddress(ref d), size, v))
        {
            R(4) = sp;
            return false;
        }

        return true;
    }

    private bool Popfq()
    {
        if (!Memory.TryRead64(R(4), out ulong v))
        {
            return MemoryFault(stack: true);
        }

        ulong mask = RFlags.Arithmetic | RFlags.TF | RFlags.IF | RFlags.DF | RFlags.IOPL | RFlags.NT | RFlags.AC | RFlags.ID;
        int cpl = State.Cpl;
        if (cpl > 0)
        {
            mask &= ~RFlags.IOPL;
            if (cpl > (int)((State.FlagsStore & RFlags.IOPL) >> 12))
            {
                mask &= ~RFlags.IF;
            }
        }

        ulong old = State.Rflags;
        State.Rflags = (old & ~mask & ~(RFlags.VIF | RFlags.VIP)) | (v & mask);
        R(4) += 8;
        boundary = 0; // TF or IF may have changed: re-evaluate at the boundary
        return true;
    }

    private bool Leave()
    {
        ulong frame = R(5);
        if (!Memory.TryRead64(frame, out ulong saved))
        {
            return MemoryFault(stack: true);
        }

        R(4) = frame + 8;
        R(5) = saved;
        return true;
    }

    private bool Exchange(ref DecodedInstruction d)
    {
        int size = d.Size;
        if (d.Dst == OperandKind.Register && d.Src == OperandKind.Register)
        {
            ulong a = ReadReg(d.DstReg, size);
            ulong b = ReadReg(d.SrcReg, size);
            WriteReg(d.DstReg, size, b);
            WriteReg(d.SrcReg, size, a);
            return true;
        }

        byte reg = d.Dst == OperandKind.Register ? d.DstReg : d.SrcReg;
        ulong address = EffectiveAddress(ref d);
        if (!ReadMemory(ref d, address, size, out ulong m) || !WriteMemory(ref d, address, size, ReadReg(reg, size)))
        {
            return false;
        }

        WriteReg(reg, size, m);
        return true;
    }

    private bool ConditionalMove(ref DecodedInstruction d)
    {
        if (!ReadSource(ref d, d.Size, out ulong v))
        {
            return false;
        }

        if (State.Condition(d.Condition))
        {
            WriteReg(d.DstReg, d.Size, v);
        }
        else if (d.Size == 4)
        {
            R(d.DstReg) = (uint)R(d.DstReg); // a 32-bit CMOVcc zero-extends even when it does not move
        }

        return true;
    }

    private bool SetByte(ref DecodedInstruction d)
    {
        ulong v = State.Condition(d.Condition) ? 1UL : 0;
        if (d.Dst == OperandKind.Register)
        {
            WriteReg(d.DstReg, 1, v);
            return true;
        }

        return WriteMemory(ref d, EffectiveAddress(ref d), 1, v);
    }

    /// <summary>MOVS: one element, or RCX elements with REP; progress is committed per element so a fault restarts correctly.</summary>
    private bool MoveString(ref DecodedInstruction d)
    {
        int size = d.Size;
        bool rep = (d.Flags & DecodedFlags.Rep) != 0;
        ulong step = (State.FlagsStore & RFlags.DF) != 0 ? (ulong)-size : (ulong)size;
        ulong segment = d.Segment == 5 ? State.GsBase : d.Segment == 4 ? State.FsBase : 0;
        while (!rep || R(1) != 0)
        {
            if (!Memory.TryRead(R(6) + segment, size, out ulong v) || !Memory.TryWrite(R(7), size, v))
            {
                return MemoryFault(stack: false);
            }

            R(6) += step;
            R(7) += step;
            if (!rep)
            {
                break;
            }

            R(1)--;
        }

        return true;
    }

    private bool StoreString(ref DecodedInstruction d)
    {
        int size = d.Size;
        bool rep = (d.Flags & DecodedFlags.Rep) != 0;
        ulong step = (State.FlagsStore & RFlags.DF) != 0 ? (ulong)-size : (ulong)size;
        ulong v = ReadReg(0, size);
        while (!rep || R(1) != 0)
        {
            if (!Memory.TryWrite(R(7), size, v))
            {
                return MemoryFault(stack: false);
            }

            R(7) += step;
            if (!rep)
            {
                break;
            }

            R(1)--;
        }

        return true;
    }
}
