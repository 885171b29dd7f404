using EntryModel.Machine.Decoding;
using EntryModel.Machine.Delivery;

namespace EntryModel.Machine.Execution;

/// <summary>CALL, RET and indirect JMP, reported to the observers (calls and returns).</summary>
public sealed partial class X86Machine
{
    private bool Call(ref DecodedInstruction d, ulong target)
    {
        if (!IsCanonical(target))
        {
            return Fault(ExceptionVector.GeneralProtection, 0);
        }

        ulong old = R(4);
        ulong sp = old - 8;
        if (!Memory.TryWrite64(sp, d.NextRip))
        {
            return MemoryFault(stack: true);
        }

        R(4) = sp;
        State.Rip = target;
        observers?.OnCall(sp, d.NextRip, target, old);

        return true;
    }

    private bool Return(ref DecodedInstruction d)
    {
        ulong sp = R(4);
        if (!Memory.TryRead64(sp, out ulong target))
        {
            return MemoryFault(stack: true);
        }

        if (!IsCanonical(target))
        {
            return Fault(ExceptionVector.GeneralProtection, 0);
        }

        R(4) = sp + 8 + d.Immediate;
        State.Rip = target;
        observers?.OnReturn(sp);

        return true;
    }

    private bool ReadBranchTarget(ref DecodedInstruction d, out ulong target)
    {
        if (d.Dst == OperandKind.Register)
        {
            target = R(d.DstReg);
        }
        else if (!ReadMemory(ref d, EffectiveAddress(ref d), 8, out target))
        {
            return false;
        }

        return IsCanonical(target) || Fault(ExceptionVector.GeneralProtection, 0);
    }

    private bool JumpIndirect(ref DecodedInstruction d)
    {
        if (!ReadBranchTarget(ref d, out ulong target))
        {
            return false;
        }

        State.Rip = target;
        return true;
    }

    private bool CallIndirect(ref DecodedInstruction d)
    {
        return ReadBranchTarget(ref d, out ulong target) && Call(ref d, target);
    }
}
