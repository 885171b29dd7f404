using System.Runtime.CompilerServices;
using EntryModel.Machine.Decoding;
using EntryModel.Machine.Delivery;
using EntryModel.Machine.Memory;

namespace EntryModel.Machine.Execution;

/// <summary>Operand access by size: register slices, effective addresses, checked memory, and raising faults.</summary>
public sealed partial class X86Machine
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong Mask(int size) => size == 8 ? ulong.MaxValue : (1UL << (size * 8)) - 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ulong ReadReg(int r, int size)
    {
        if (r >= 16)
        {
            return (R(r - 16) >> 8) & 0xFF;
        }

        ulong v = R(r);
        return size switch
        {
            8 => v,
            4 => (uint)v,
            2 => (ushort)v,
            _ => (byte)v,
        };
    }

    /// <summary>Writes a register slice: 32-bit writes zero-extend, 8/16-bit writes merge.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void WriteReg(int r, int size, ulong value)
    {
        if (r >= 16)
        {
            ref ulong full = ref R(r - 16);
            full = (full & ~0xFF00UL) | ((value & 0xFF) << 8);
            return;
        }

        ref ulong reg = ref R(r);
        reg = size switch
        {
            8 => value,
            4 => (uint)value,
            2 => (reg & ~0xFFFFUL) | (ushort)value,
            _ => (reg & ~0xFFUL) | (byte)value,
        };
    }

    /// <summary>The linear address of the memory operand (segment base included for FS/GS).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ulong EffectiveAddress(ref DecodedInstruction d)
    {
        ulong a = Offset(ref d);
        if (d.Segment != 0)
        {
            a += d.Segment == 5 ? State.GsBase : State.FsBase;
        }

        return a;
    }

    /// <summary>The memory operand's offset without segment base (what LEA computes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ulong Offset(ref DecodedInstruction d)
    {
        ulong a = d.Displacement;
        if (d.Base != DecodedInstruction.NoRegister)
        {
            a += R(d.Base);
        }

        if (d.Index != DecodedInstruction.NoRegister)
        {
            a += R(d.Index) << d.Scale;
        }

        if ((d.Flags & DecodedFlags.Address32) != 0)
        {
            a = (uint)a;
        }

        return a;
    }

    /// <summary>
    /// Reads the destination operand of a read-modify-write instruction; <paramref name="address"/> is
    /// where to write the result back when it is memory (0 for a register).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool ReadDestination(ref DecodedInstruction d, int size, out ulong value, out ulong address)
    {
        if (d.Dst == OperandKind.Register)
        {
            address = 0;
            value = ReadReg(d.DstReg, size);
            return true;
        }

        address = EffectiveAddress(ref d);
        return ReadMemory(ref d, address, size, out value);
    }

    /// <summary>Reads the source operand (register, immediate or memory) at the instruction's size.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool ReadSource(ref DecodedInstruction d, int size, out ulong value)
    {
        switch (d.Src)
        {
            case OperandKind.Register:
                value = ReadReg(d.SrcReg, size);
                return true;
            case OperandKind.Immediate:
                value = d.Immediate & Mask(size);
                return true;
            default:
                return ReadMemory(ref d, EffectiveAddress(ref d), size, out value);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool ReadMemory(ref DecodedInstruction d, ulong address, int size, out ulong value)
    {
        if (Memory.TryRead(address, size, out value))
        {
            return true;
        }

        return MemoryFault((d.Flags & DecodedFlags.StackSegment) != 0);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool WriteMemory(ref DecodedInstruction d, ulong address, int size, ulong value)
    {
        if (Memory.TryWrite(address, size, value))
        {
            return true;
        }

        return MemoryFault((d.Flags & DecodedFlags.StackSegment) != 0);
    }

    /// <summary>Records the exception an instruction raises; returns false so handlers can <c>return Fault(...)</c>.</summary>
    private bool Fault(int vector, ulong errorCode)
    {
        faultVector = vector;
        faultError = errorCode;
        return false;
    }

    /// <summary>Turns the memory's last failed access into #PF (setting CR2), or #GP/#SS for a non-canonical address.</summary>
    private bool MemoryFault(bool stack)
    {
        var f = Memory.LastFault;
        if (f.NonCanonical)
        {
            return Fault(stack ? ExceptionVector.StackFault : ExceptionVector.GeneralProtection, 0);
        }

        State.Cr2 = f.Address;
        return Fault(ExceptionVector.PageFault, (ulong)f.ErrorCode);
    }

    /// <summary>Stack push at the current privilege; RSP is updated only after the write succeeds.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool Push64(ulong value)
    {
        ulong sp = R(4) - 8;
        if (!Memory.TryWrite64(sp, value))
        {
            return MemoryFault(stack: true);
        }

        R(4) = sp;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool Pop64(out ulong value)
    {
        ulong sp = R(4);
        if (!Memory.TryRead64(sp, out value))
        {
            return MemoryFault(stack: true);
        }

        R(4) = sp + 8;
        return true;
    }

    private static bool IsCanonical(ulong address) => GuestMemory.IsCanonical(address);
}
