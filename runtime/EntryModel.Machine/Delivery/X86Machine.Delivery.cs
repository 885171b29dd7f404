using EntryModel.Machine.Cpu;
using EntryModel.Machine.Delivery;
using EntryModel.Machine.GroundTruth;
using EntryModel.Machine.Memory;

namespace EntryModel.Machine.Execution;

/// <summary>
/// Event delivery in 64-bit mode (SDM vol. 3, 6.14): the IDT gate, the stack (RSP0 on a privilege
/// change, IST when the gate names one, aligned down to 16), the hardware frame SS, RSP, RFLAGS,
/// CS, RIP and the error code; #DF for a contributory or page fault while delivering one, triple
/// fault (a stop) for a fault while delivering #DF. Also IRETQ, SYSCALL and SYSRETQ.
/// </summary>
public sealed partial class X86Machine
{
    private const ulong TssRsp0 = 4;
    private const ulong TssIst1 = 0x24;

    /// <summary>INT n / INT3: RIP already points past the instruction; a fault of the gate checks reports the instruction itself.</summary>
    private void DeliverSoftwareInterrupt(int vector, ulong instructionRip)
    {
        softwareInstructionRip = instructionRip;
        DeliverEvent(vector, EventSource.Software, 0);
    }

    private ulong softwareInstructionRip;

    /// <summary>Delivers an event through the IDT; secondary faults become serial delivery, #DF, or a triple-fault stop.</summary>
    private void DeliverEvent(int vector, EventSource source, ulong errorCode)
    {
        eventDelivered = true;
        boundary = 0;
        bool hasError = source is EventSource.Fault && ExceptionVector.PushesErrorCode(vector);
        ulong returnRip = State.Rip;
        while (true)
        {
            if (State.IdtLimit == 0)
            {
                RequestStop(new StopReason(StopKind.UnhandledException, State.Rip, 0, vector, errorCode));
                return;
            }

            if (TryDeliver(vector, source, hasError, errorCode, returnRip, out int second, out ulong secondError))
            {
                return;
            }

            if (vector == ExceptionVector.DoubleFault)
            {
                RequestStop(new StopReason(StopKind.TripleFault, State.Rip, 0, second, secondError));
                return;
            }

            bool doubleFault = (ExceptionVector.IsContributory(vector) && ExceptionVector.IsContributory(second))
                || (vector == ExceptionVector.PageFault && (second == ExceptionVector.PageFault || ExceptionVector.IsContributory(second)));
            if (source == EventSource.Software)
            {
                returnRip = softwareInstructionRip; // INT n's own checks fault on the INT instruction
            }

            vector = doubleFault ? ExceptionVector.DoubleFault : second;
            errorCode = doubleFault ? 0 : secondError;
            hasError = ExceptionVector.PushesErrorCode(vector);
            source = EventSource.Fault;
        }
    }

    /// <summary>One delivery attempt; on failure reports the exception it raised and commits nothing.</summary>
    private bool TryDeliver(int vector, EventSource source, bool hasError, ulong errorCode, ulong returnRip, out int second, out ulong secondError)
    {
        ulong ext = source == EventSource.Software ? 0UL : 1UL;
        ulong idtError = ((ulong)vector * 8) + 2 + ext;
        second = ExceptionVector.GeneralProtection;
        secondError = idtError;
        int oldCpl = State.Cpl;
        Memory.UserMode = false; // the CPU's own accesses to the IDT, TSS and new stack are supervisor accesses
        try
        {
            if ((ulong)vector * 16 + 15 > State.IdtLimit)
            {
                return false;
            }

            ulong gate = State.IdtBase + ((ulong)vector * 16);
            if (!Memory.TryRead64(gate, out ulong lo) || !Memory.TryRead64(gate + 8, out ulong hi))
            {
                return DeliveryMemoryFault(out second, out secondError);
            }

            ulong handler = (lo & 0xFFFF) | ((lo >> 32) & 0xFFFF0000UL) | (hi << 32);
            ushort selector = (ushort)(lo >> 16);
            int ist = (int)((lo >> 32) & 7);
            int type = (int)((lo >> 40) & 0xF);
            int dpl = (int)((lo >> 45) & 3);
            bool present = ((lo >> 47) & 1) != 0;
            if (type is not (0xE or 0xF))
            {
                return false;
            }

            if (source == EventSource.Software && dpl < oldCpl)
            {
                secondError = idtError & ~1UL;
                return false;
            }

            if (!present)
            {
                second = ExceptionVector.SegmentNotPresent;
                return false;
            }

            if ((selector & ~3) != Selectors.KernelCs)
            {
                secondError = (ulong)(selector & 0xFFFC) + ext;
                return false;
            }

            if (!GuestMemory.IsCanonical(handler))
            {
                secondError = ext;
                return false;
            }

            ulong rsp = R(4);
            if (ist != 0 || oldCpl != 0)
            {
                ulong slot = State.TrBase + (ist != 0 ? TssIst1 + ((ulong)(ist - 1) * 8) : TssRsp0);
                if (!Memory.TryRead(slot, 8, out rsp))
                {
                    return DeliveryMemoryFault(out second, out secondError);
                }
            }

            rsp &= ~0xFUL;
            if (!GuestMemory.IsCanonical(rsp) || !GuestMemory.IsCanonical(rsp - 48))
            {
                second = ExceptionVector.StackFault;
                secondError = ext;
                return false;
            }

            ulong flags = State.Rflags;
            ulong pushedFlags = source == EventSource.Fault ? flags | RFlags.RF : flags;
            ulong top = rsp - (hasError ? 48UL : 40UL);
            if (!Memory.TryWrite64(rsp - 8, State.Ss)
                || !Memory.TryWrite64(rsp - 16, R(4))
                || !Memory.TryWrite64(rsp - 24, pushedFlags)
                || !Memory.TryWrite64(rsp - 32, State.Cs)
                || !Memory.TryWrite64(rsp - 40, returnRip)
                || (hasError && !Memory.TryWrite64(rsp - 48, errorCode)))
            {
                return DeliveryMemoryFault(out second, out secondError);
            }

            ulong interruptedRsp = R(4);
            R(4) = top;
            if (oldCpl != 0)
            {
                State.Ss = 0; // a privilege change loads the NULL selector with RPL 0
            }

            SetCs(Selectors.KernelCs);
            ulong cleared = RFlags.TF | RFlags.NT | RFlags.RF | RFlags.VM | (type == 0xE ? RFlags.IF : 0);
            State.Rflags = flags & ~cleared;
            State.Rip = handler;
            if (observers is { } o)
            {
                var kind = source switch
                {
                    EventSource.External => TrueFrameKind.Interrupt,
                    EventSource.Software => TrueFrameKind.SoftwareInterrupt,
                    _ => TrueFrameKind.Exception,
                };
                o.OnEventEntry(kind, vector, rsp - 40, returnRip, interruptedRsp, handler, oldCpl == 3);
            }

            return true;
        }
        finally
        {
            Memory.UserMode = State.Cpl == 3;
        }
    }

    private bool DeliveryMemoryFault(out int second, out ulong secondError)
    {
        MemoryFault(stack: true);
        second = faultVector;
        secondError = faultError;
        return false;
    }

    private bool Iret()
    {
        ulong sp = R(4);
        ulong rip = 0, cs = 0, flags = 0, rsp = 0, ss = 0;
        if (!Memory.TryRead64(sp, out rip) || !Memory.TryRead64(sp + 8, out cs) || !Memory.TryRead64(sp + 16, out flags)
            || !Memory.TryRead64(sp + 24, out rsp) || !Memory.TryRead64(sp + 32, out ss))
        {
            return MemoryFault(stack: true);
        }

        int cpl = State.Cpl;
        ushort newCs = (ushort)cs;
        ushort newSs = (ushort)ss;
        int newCpl = newCs & 3;
        bool csValid = newCpl == 0 ? (newCs & ~3) == Selectors.KernelCs : newCpl == 3 && newCs == Selectors.UserCs;
        if (newCpl < cpl || !csValid)
        {
            return Fault(ExceptionVector.GeneralProtection, (ulong)(newCs & 0xFFFC));
        }

        bool ssValid = (newSs & 3) == newCpl && (newCpl == 3 ? newSs == Selectors.UserSs : (newSs & ~3) is Selectors.KernelSs or 0);
        if (!ssValid)
        {
            return Fault(ExceptionVector.GeneralProtection, (ulong)(newSs & 0xFFFC));
        }

        if (!GuestMemory.IsCanonical(rip))
        {
            return Fault(ExceptionVector.GeneralProtection, 0);
        }

        ulong mask = RFlags.Modifiable;
        if (cpl > 0)
        {
            mask &= ~RFlags.IOPL;
            if (cpl > (int)((State.FlagsStore & RFlags.IOPL) >> 12))
            {
                mask &= ~RFlags.IF;
            }
        }

        State.Rflags = (State.Rflags & ~mask) | (flags & mask);
        nmiBlocked = false; // IRETQ ends NMI blocking
        R(4) = rsp;
        State.Ss = newSs;
        SetCs(newCs);
        State.Rip = rip;
        observers?.OnIret(sp, rsp, newCpl == 3);

        return true;
    }

    private bool Syscall()
    {
        if ((State.Efer & 1) == 0)
        {
            return Fault(ExceptionVector.InvalidOpcode, 0);
        }

        ulong flags = State.Rflags;
        R(1) = State.Rip;
        R(11) = flags & ~RFlags.RF;
        State.Rflags = flags & ~State.Fmask & ~RFlags.RF;
        ushort kernelCs = (ushort)((State.Star >> 32) & 0xFFFC);
        State.Ss = (ushort)(kernelCs + 8);
        SetCs(kernelCs);
        State.Rip = State.Lstar;
        observers?.OnSyscall(R(1), R(4), State.Lstar);

        return true;
    }

    private bool Sysret()
    {
        if ((State.Efer & 1) == 0)
        {
            return Fault(ExceptionVector.InvalidOpcode, 0);
        }

        if (State.Cpl != 0 || !GuestMemory.IsCanonical(R(1)))
        {
            return Fault(ExceptionVector.GeneralProtection, 0);
        }

        State.Rflags = (R(11) & RFlags.SysretMask & ~RFlags.RF) | RFlags.Reserved1;
        ushort userBase = (ushort)(State.Star >> 48);
        State.Ss = (ushort)((userBase + 8) | 3);
        SetCs((ushort)((userBase + 16) | 3));
        State.Rip = R(1);
        observers?.OnSysret(R(4));

        return true;
    }
}
