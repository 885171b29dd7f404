using EntryModel.Machine.Cpu;
using EntryModel.Machine.Memory;
using EntryModel.Machine.Observers;
using EntryModel.Machine.Tasks;

namespace EntryModel.Machine.Execution;

/// <summary>
/// The whole machine at one instruction boundary: CPU state, copy-on-write memory, pending
/// interrupts, the retired count, the stacks and the state of the attached snapshot observers (the
/// ground-truth chains). Restoring leaves it usable.
/// </summary>
public sealed class MachineSnapshot
{
    internal MachineSnapshot(CpuState cpu, MemorySnapshot memory, PendingInterrupt[] interrupts, long retired, long shadowEnd, long nmiDue, bool nmiBlocked, StackInfo[] stacks, ObserverState[] observers)
    {
        Cpu = cpu;
        Memory = memory;
        Interrupts = interrupts;
        Retired = retired;
        ShadowEnd = shadowEnd;
        NmiDue = nmiDue;
        NmiBlocked = nmiBlocked;
        Stacks = stacks;
        Observers = observers;
    }

    public CpuState Cpu { get; }

    public long Retired { get; }

    internal MemorySnapshot Memory { get; }

    internal PendingInterrupt[] Interrupts { get; }

    internal long ShadowEnd { get; }

    internal long NmiDue { get; }

    internal bool NmiBlocked { get; }

    internal StackInfo[] Stacks { get; }

    internal ObserverState[] Observers { get; }
}
