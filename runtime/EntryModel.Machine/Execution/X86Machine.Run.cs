using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EntryModel.Machine.Cpu;
using EntryModel.Machine.Decoding;
using EntryModel.Machine.Delivery;

namespace EntryModel.Machine.Execution;

/// <summary>The run loop: instruction boundaries (stops, interrupts, single step) around a tight fetch-dispatch loop.</summary>
public sealed partial class X86Machine
{
    private int faultsWithoutRetire;
    private long retiredAtLastFault = -1;

    /// <summary>Runs until a breakpoint, HLT, a hypercall, a stop, the budget, or <paramref name="maxInstructions"/> retired instructions.</summary>
    public StopReason Run(long maxInstructions = long.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxInstructions);
        return RunLoop(maxInstructions);
    }

    /// <summary>Runs until RIP reaches <paramref name="address"/> (a temporary breakpoint) or another stop; when RIP is there already, stops at once (a breakpoint stop, nothing executed).</summary>
    public StopReason RunUntil(ulong address, long maxInstructions = long.MaxValue)
    {
        if (State.Rip == address)
        {
            // The run loop steps over a breakpoint at the starting RIP (a resume), so it would run past the target.
            return new StopReason(StopKind.Breakpoint, address, 0);
        }

        bool added = !breakpoints.Contains(address);
        if (added)
        {
            AddBreakpoint(address);
        }

        try
        {
            return RunLoop(maxInstructions);
        }
        finally
        {
            if (added)
            {
                RemoveBreakpoint(address);
            }
        }
    }

    /// <summary>Runs until RIP reaches the start of symbol <paramref name="symbol"/> of the loaded image.</summary>
    public StopReason RunUntil(string symbol, long maxInstructions = long.MaxValue)
    {
        var symbols = Symbols ?? throw new InvalidOperationException("no image symbols: load an image first");
        return RunUntil(symbols[symbol].Address, maxInstructions);
    }

    /// <summary>Executes one instruction (delivering first any interrupt due at this boundary) and stops.</summary>
    public StopReason Step() => RunLoop(1);

    private StopReason RunLoop(long maxInstructions)
    {
        long start = Retired;
        long countEnd = maxInstructions >= long.MaxValue - Retired ? long.MaxValue : Retired + maxInstructions;
        long budgetEnd = InstructionBudget >= long.MaxValue - Retired ? long.MaxValue : Retired + InstructionBudget;
        stopRequest = null;
        SyncPrivilege();
        bypassBreakpointAt = breakpoints.Contains(State.Rip) ? State.Rip : NoAddress;
        faultsWithoutRetire = 0;

        while (true)
        {
            if (stopRequest is { } stop)
            {
                return stop with { Instructions = Retired - start };
            }

            if (Retired >= countEnd)
            {
                return new StopReason(StopKind.InstructionCount, State.Rip, Retired - start);
            }

            if (Retired >= budgetEnd)
            {
                return new StopReason(StopKind.Budget, State.Rip, Retired - start);
            }

            if (TryDeliverPendingInterrupt())
            {
                continue;
            }

            bool singleStep = (State.FlagsStore & RFlags.TF) != 0;
            long limit = Math.Min(countEnd, budgetEnd);
            if (singleStep || bypassBreakpointAt != NoAddress)
            {
                limit = Math.Min(limit, Retired + 1);
            }

            if (nmiDue >= 0 && !nmiBlocked)
            {
                limit = Math.Min(limit, Math.Max(nmiDue, Retired + 1));
            }

            if ((State.FlagsStore & RFlags.IF) != 0 && pendingInterrupts.Count > 0)
            {
                limit = Math.Min(limit, Math.Max(EarliestInterruptDue(), Math.Max(shadowEnd, Retired + 1)));
            }

            boundary = limit;
            eventDelivered = false;
            long before = Retired;
            ExecuteBlock();
            bypassBreakpointAt = NoAddress;

            if (singleStep && Retired == before + 1 && !eventDelivered && stopRequest == null)
            {
                State.Dr6 |= 1UL << 14; // BS
                DeliverEvent(ExceptionVector.Debug, EventSource.Trap, 0);
            }
        }
    }

    private void ExecuteBlock()
    {
        while (Retired < boundary)
        {
            ulong rip = State.Rip;
            ulong offset = rip - fetchPageBase;
            var page = fetchPage;
            if (offset < 4096 && !page.Stale)
            {
                int slot = Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(page.Slots), (nint)offset);
                if ((uint)(slot - 1) < DecodedPage.CrossesPage - 1u)
                {
                    ref var d = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(page.Instructions), slot);
                    State.Rip = d.NextRip;
                    if (Execute(ref d, d.Handler))
                    {
                        Retired++;
                    }
                    else
                    {
                        State.Rip = rip;
                        RaiseFault();
                    }

                    continue;
                }
            }

            ExecuteSlow(rip);
        }
    }

    /// <summary>Fetches through the page translation (and decodes when needed), then executes.</summary>
    private void ExecuteSlow(ulong rip)
    {
        if (!FetchDecoded(rip, out int slot))
        {
            RaiseFault();
            return;
        }

        ref var d = ref slot == DecodedPage.CrossesPage ? ref crossPageScratch : ref fetchPage.Instructions[slot];
        State.Rip = d.NextRip;
        if (Execute(ref d, d.Handler))
        {
            Retired++;
        }
        else
        {
            State.Rip = rip;
            RaiseFault();
        }
    }

    /// <summary>Delivers the exception the last instruction (or fetch) raised; stops on a fault loop.</summary>
    private void RaiseFault()
    {
        if (Retired == retiredAtLastFault)
        {
            if (++faultsWithoutRetire > 64)
            {
                RequestStop(new StopReason(StopKind.FaultLoop, State.Rip, 0, faultVector, faultError));
                return;
            }
        }
        else
        {
            retiredAtLastFault = Retired;
            faultsWithoutRetire = 0;
        }

        DeliverEvent(faultVector, EventSource.Fault, faultError);
    }

    private void RequestStop(StopReason reason)
    {
        stopRequest = reason;
        boundary = 0;
    }

    private long EarliestInterruptDue()
    {
        long due = long.MaxValue;
        foreach (var p in pendingInterrupts)
        {
            due = Math.Min(due, p.Due);
        }

        return due;
    }

    /// <summary>At a boundary: delivers the highest-priority due interrupt if IF=1 and no STI shadow is active.</summary>
    private bool TryDeliverPendingInterrupt()
    {
        if (nmiDue >= 0 && nmiDue <= Retired && !nmiBlocked)
        {
            nmiDue = -1;
            nmiBlocked = true;
            DeliverEvent(ExceptionVector.Nmi, EventSource.External, 0);
            return true;
        }

        if (pendingInterrupts.Count == 0 || (State.FlagsStore & RFlags.IF) == 0 || Retired < shadowEnd)
        {
            return false;
        }

        int best = -1;
        for (int i = 0; i < pendingInterrupts.Count; i++)
        {
            var p = pendingInterrupts[i];
            if (p.Due <= Retired && (best < 0 || p.Vector > pendingInterrupts[best].Vector))
            {
                best = i;
            }
        }

        if (best < 0)
        {
            return false;
        }

        int vector = pendingInterrupts[best].Vector;
        pendingInterrupts.RemoveAt(best);
        DeliverEvent(vector, EventSource.External, 0);
        return true;
    }
}
