using EntryModel.Machine.Cpu;
using EntryModel.Machine.Decoding;
using EntryModel.Machine.Delivery;
using EntryModel.Machine.Memory;

namespace EntryModel.Machine.Execution;

/// <summary>System instructions: privilege checks, flags control, SWAPGS, MSRs, control registers, CPUID, HLT, VMCALL.</summary>
public sealed partial class X86Machine
{
    private bool ExecuteSystem(ref DecodedInstruction d, Handler handler)
    {
        int cpl = State.Cpl;
        switch (handler)
        {
            case Handler.Int3:
                DeliverSoftwareInterrupt(ExceptionVector.Breakpoint, State.Rip - d.Length);
                return true;
            case Handler.Int:
                DeliverSoftwareInterrupt((int)d.Immediate, State.Rip - d.Length);
                return true;
            case Handler.Hlt:
                return cpl != 0 ? Fault(ExceptionVector.GeneralProtection, 0) : Halt();
            case Handler.Cli:
            case Handler.Sti:
                if (cpl > (int)((State.FlagsStore & RFlags.IOPL) >> 12))
                {
                    return Fault(ExceptionVector.GeneralProtection, 0);
                }

                if (handler == Handler.Cli)
                {
                    State.FlagsStore &= ~RFlags.IF;
                }
                else if ((State.FlagsStore & RFlags.IF) == 0)
                {
                    State.FlagsStore |= RFlags.IF;
                    shadowEnd = Retired + 2; // interrupts wait until the instruction after STI has run
                    boundary = 0;
                }

                return true;
            case Handler.Cld:
                State.FlagsStore &= ~RFlags.DF;
                return true;
            case Handler.Std:
                State.FlagsStore |= RFlags.DF;
                return true;
            case Handler.Clc:
                State.SetStatusFlags(RFlags.CF, 0);
                return true;
            case Handler.Stc:
                State.SetStatusFlags(RFlags.CF, RFlags.CF);
                return true;
            case Handler.Cmc:
                State.SetStatusFlags(RFlags.CF, State.Carry ? 0 : RFlags.CF);
                return true;
            case Handler.Clac:
            case Handler.Stac:
                if (cpl != 0)
                {
                    return Fault(ExceptionVector.InvalidOpcode, 0);
                }

                State.FlagsStore = handler == Handler.Clac ? State.FlagsStore & ~RFlags.AC : State.FlagsStore | RFlags.AC;
                return true;
            case Handler.Swapgs:
                if (cpl != 0)
                {
                    return Fault(ExceptionVector.GeneralProtection, 0);
                }

                (State.GsBase, State.KernelGsBase) = (State.KernelGsBase, State.GsBase);
                return true;
            case Handler.Syscall:
                return Syscall();
            case Handler.Sysretq:
                return Sysret();
            case Handler.Iretq:
                return Iret();
            case Handler.Cpuid:
                Cpuid();
                return true;
            case Handler.Rdmsr:
                return cpl != 0 ? Fault(ExceptionVector.GeneralProtection, 0) : ReadMsr();
            case Handler.Wrmsr:
                return cpl != 0 ? Fault(ExceptionVector.GeneralProtection, 0) : WriteMsr();
            case Handler.MovFromCr:
            case Handler.MovToCr:
                return cpl != 0 ? Fault(ExceptionVector.GeneralProtection, 0) : MoveControlRegister(ref d, handler == Handler.MovToCr);
            case Handler.PrivilegedNop:
                return cpl == 0 || Fault(ExceptionVector.GeneralProtection, 0);
            case Handler.Vmcall:
                return cpl != 0 ? Fault(ExceptionVector.InvalidOpcode, 0) : Hypercall(ref d);
            default:
                return Fault(ExceptionVector.InvalidOpcode, 0);
        }
    }

    /// <summary>HLT: wake at once for a pending (or scheduled) interrupt when IF=1, else stop as halted.</summary>
    private bool Halt()
    {
        if (nmiDue >= 0 && !nmiBlocked)
        {
            nmiDue = Math.Min(nmiDue, Retired + 1);
            boundary = 0;
            return true;
        }

        if ((State.FlagsStore & RFlags.IF) != 0 && pendingInterrupts.Count > 0)
        {
            int earliest = 0;
            for (int i = 1; i < pendingInterrupts.Count; i++)
            {
                if (pendingInterrupts[i].Due < pendingInterrupts[earliest].Due)
                {
                    earliest = i;
                }
            }

            var p = pendingInterrupts[earliest];
            pendingInterrupts[earliest] = p with { Due = Math.Min(p.Due, Retired + 1) };
            boundary = 0;
            return true;
        }

        RequestStop(new StopReason(StopKind.Halted, State.Rip, 0));
        return true;
    }

    private bool Hypercall(ref DecodedInstruction d)
    {
        var call = new Hypercall(R(0), R(7), R(6), R(2), State.Rip - d.Length);
        var outcome = Hypercalls?.Handle(this, call) ?? HypercallOutcome.NotHandled;
        switch (outcome)
        {
            case HypercallOutcome.Continue:
                boundary = 0; // the host may have changed anything
                break;
            case HypercallOutcome.Stop:
                RequestStop(new StopReason(StopKind.HostRequest, State.Rip, 0, Code: call.Number));
                break;
            case HypercallOutcome.PowerOff:
                RequestStop(new StopReason(StopKind.PowerOff, State.Rip, 0, Code: call.Arg0));
                break;
            default:
                RequestStop(new StopReason(StopKind.Hypercall, State.Rip, 0, Code: call.Number));
                break;
        }

        return true;
    }

    /// <summary>CPUID with fixed answers: vendor "EntryModel64", family 6, the features entry code checks.</summary>
    private void Cpuid()
    {
        uint leaf = (uint)R(0);
        (uint a, uint b, uint c, uint d) = leaf switch
        {
            0 => (0xDu, 0x72746E45u, 0x34366C65u, 0x646F4D79u), // "Entr" "yMod" "el64"
            1 => (0x000806F0u, 0x00010800u, 0x80202001u, 0x178BFBFFu),
            7 => (0u, 0x00100180u, 0u, 0u), // SMEP, ERMS, SMAP
            0x80000000 => (0x80000008u, 0u, 0u, 0u),
            0x80000001 => (0u, 0u, 0x00000001u, 0x2C100800u), // LAHF, SYSCALL, NX, 1G pages, RDTSCP, LM
            0x80000008 => (0x00003030u, 0u, 0u, 0u), // 48-bit physical and virtual addresses
            _ => (0u, 0u, 0u, 0u),
        };
        R(0) = a;
        R(3) = b;
        R(1) = c;
        R(2) = d;
    }

    private bool ReadMsr()
    {
        ulong v;
        switch ((uint)R(1))
        {
            case Msr.Efer: v = State.Efer; break;
            case Msr.Star: v = State.Star; break;
            case Msr.Lstar: v = State.Lstar; break;
            case Msr.Cstar: v = State.Cstar; break;
            case Msr.Fmask: v = State.Fmask; break;
            case Msr.FsBase: v = State.FsBase; break;
            case Msr.GsBase: v = State.GsBase; break;
            case Msr.KernelGsBase: v = State.KernelGsBase; break;
            default: return Fault(ExceptionVector.GeneralProtection, 0);
        }

        R(0) = (uint)v;
        R(2) = v >> 32;
        return true;
    }

    private bool WriteMsr()
    {
        ulong v = ((ulong)(uint)R(2) << 32) | (uint)R(0);
        uint msr = (uint)R(1);
        bool address = msr is Msr.Lstar or Msr.Cstar or Msr.FsBase or Msr.GsBase or Msr.KernelGsBase;
        if (address && !GuestMemory.IsCanonical(v))
        {
            return Fault(ExceptionVector.GeneralProtection, 0);
        }

        switch (msr)
        {
            case Msr.Efer:
                if ((v & ~0xD01UL) != 0)
                {
                    return Fault(ExceptionVector.GeneralProtection, 0);
                }

                State.Efer = v | 0x500; // LME/LMA stay set: the model is always in 64-bit mode
                break;
            case Msr.Star: State.Star = v; break;
            case Msr.Lstar: State.Lstar = v; break;
            case Msr.Cstar: State.Cstar = v; break;
            case Msr.Fmask: State.Fmask = v & 0xFFFFFFFF; break;
            case Msr.FsBase: State.FsBase = v; break;
            case Msr.GsBase: State.GsBase = v; break;
            case Msr.KernelGsBase: State.KernelGsBase = v; break;
            default: return Fault(ExceptionVector.GeneralProtection, 0);
        }

        return true;
    }

    private bool MoveControlRegister(ref DecodedInstruction d, bool toCr)
    {
        if (toCr)
        {
            ulong v = R(d.SrcReg);
            switch (d.Condition)
            {
                case 0: State.Cr0 = v; break;
                case 2: State.Cr2 = v; break;
                case 3: State.Cr3 = v; break;
                case 4: State.Cr4 = v; break;
                default: return Fault(ExceptionVector.InvalidOpcode, 0);
            }

            return true;
        }

        ulong r;
        switch (d.Condition)
        {
            case 0: r = State.Cr0; break;
            case 2: r = State.Cr2; break;
            case 3: r = State.Cr3; break;
            case 4: r = State.Cr4; break;
            default: return Fault(ExceptionVector.InvalidOpcode, 0);
        }

        R(d.DstReg) = r;
        return true;
    }
}
