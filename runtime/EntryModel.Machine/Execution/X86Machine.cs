using System.Runtime.CompilerServices;
using EntryModel.Machine.Cpu;
using EntryModel.Machine.Decoding;
using EntryModel.Machine.GroundTruth;
using EntryModel.Machine.Memory;
using EntryModel.Machine.Observers;
using EntryModel.Machine.Tasks;

namespace EntryModel.Machine.Execution;

/// <summary>
/// The modelled x86-64 machine: one CPU in 64-bit mode, sparse paged memory, IDT/TSS-driven
/// delivery of exceptions and interrupts, SYSCALL/SYSRETQ, stacks, and observers of its control
/// transfers (the ground-truth recorder among them). Code is decoded once per address into a
/// per-page cache and interpreted by a handler switch; guest faults become modelled exceptions or a typed <see cref="StopReason"/>, never host exceptions.
/// </summary>
public sealed partial class X86Machine
{
    private const ulong NoAddress = ulong.MaxValue;

    internal CpuState State;

    private readonly HashSet<ulong> breakpoints = [];
    private readonly List<PendingInterrupt> pendingInterrupts = [];
    private int breakpointVersion = 1;

    // Fetch cache: the decoded page RIP is in, and its base address.
    private DecodedPage fetchPage;
    private ulong fetchPageBase = NoAddress;

    // Run-loop control: the inner loop runs while Retired < boundary; handlers lower it to stop early.
    private long boundary;
    private StopReason? stopRequest;
    private ulong bypassBreakpointAt = NoAddress;
    private long shadowEnd;
    private long nmiDue = -1;
    private bool nmiBlocked;
    private bool eventDelivered;

    // The exception an instruction raised (set by Fault, delivered by the run loop).
    private int faultVector;
    private ulong faultError;

    public X86Machine()
    {
        State = CpuState.PowerOn();
        Memory = new GuestMemory();
        Memory.MappingsChanged += FlushFetchTlbs;
        Stacks = new StackRegistry();
        GroundTruth = new GroundTruthRecorder(this);
        fetchPage = new DecodedPage(NoAddress) { Stale = true };
        decoder = CreateDecoder();
    }

    /// <summary>The CPU's registers; change them between runs (CS/CPL changes are picked up at the next run).</summary>
    public ref CpuState Cpu => ref State;

    public GuestMemory Memory { get; }

    public StackRegistry Stacks { get; }

    /// <summary>The machine's ground-truth recorder: an <see cref="ISnapshotObserver"/>, attached by <see cref="StartGroundTruth"/>.</summary>
    public GroundTruthRecorder GroundTruth { get; }

    /// <summary>Instructions retired since the machine was created (restored with snapshots).</summary>
    public long Retired { get; private set; }

    /// <summary>The most instructions one <see cref="Run(long)"/> call may retire before stopping with <see cref="StopKind.Budget"/>.</summary>
    public long InstructionBudget { get; set; } = 100_000_000;

    /// <summary>Host handler for VMCALL; without one every hypercall stops the run.</summary>
    public IHypercallHandler? Hypercalls { get; set; }

    /// <summary>How many instructions were decoded so far (each cached one once); for diagnostics and cache tests.</summary>
    public int DecodedInstructionCount { get; private set; }

    public IReadOnlyCollection<ulong> Breakpoints => breakpoints;

    /// <summary>The loaded image's symbols (set by the loader), for symbol breakpoints and reports.</summary>
    public SymbolTable? Symbols { get; set; }

    public IReadOnlyList<PendingInterrupt> PendingInterrupts => pendingInterrupts;

    public void AddBreakpoint(ulong address)
    {
        if (breakpoints.Add(address))
        {
            breakpointVersion++;
            InvalidateFetch();
        }
    }

    public void RemoveBreakpoint(ulong address)
    {
        if (breakpoints.Remove(address))
        {
            breakpointVersion++;
            InvalidateFetch();
        }
    }

    /// <summary>Raises external interrupt <paramref name="vector"/> after <paramref name="afterInstructions"/> more instructions retire; it is delivered at the first boundary from then on where IF=1.</summary>
    public void InjectInterrupt(int vector, long afterInstructions = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(vector, 32);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(vector, 255);
        ArgumentOutOfRangeException.ThrowIfNegative(afterInstructions);
        pendingInterrupts.Add(new PendingInterrupt(vector, Retired + afterInstructions));
    }

    /// <summary>Raises an NMI (vector 2) after <paramref name="afterInstructions"/> more instructions; it ignores IF but waits while an earlier NMI's handler runs (until its IRETQ).</summary>
    public void InjectNmi(long afterInstructions = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterInstructions);
        nmiDue = Retired + afterInstructions;
    }

    /// <summary>Whether an NMI handler is running (NMIs blocked until the next IRETQ).</summary>
    public bool NmiBlocked => nmiBlocked;

    /// <summary>Whether an NMI is latched and waiting (the CPU holds one at most: a second one merges into it).</summary>
    public bool NmiPending => nmiDue >= 0;

    public void ClearPendingInterrupts()
    {
        pendingInterrupts.Clear();
        nmiDue = -1;
    }

    /// <summary>Takes a snapshot of the whole machine (O(1) for memory: pages are shared copy-on-write).</summary>
    public MachineSnapshot Snapshot()
    {
        return new MachineSnapshot(
            State,
            Memory.Snapshot(),
            pendingInterrupts.Count == 0 ? [] : [.. pendingInterrupts],
            Retired,
            shadowEnd,
            nmiDue,
            nmiBlocked,
            Stacks.Saved,
            SaveObservers());
    }

    /// <summary>Puts the machine back to <paramref name="snapshot"/>; the snapshot can be restored again later.</summary>
    public void Restore(MachineSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        State = snapshot.Cpu;
        Memory.Restore(snapshot.Memory);
        pendingInterrupts.Clear();
        pendingInterrupts.AddRange(snapshot.Interrupts);
        Retired = snapshot.Retired;
        shadowEnd = snapshot.ShadowEnd;
        nmiDue = snapshot.NmiDue;
        nmiBlocked = snapshot.NmiBlocked;
        Stacks.Restore(snapshot.Stacks);
        RestoreObservers(snapshot.Observers);
        SyncPrivilege();
    }

    /// <summary>Starts ground-truth recording from an empty chain at the current RSP and attaches the recorder (<c>GroundTruth.Stop()</c> detaches it).</summary>
    public void StartGroundTruth() => GroundTruth.Start(State.Gpr[4]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ref ulong R(int index) => ref Unsafe.Add(ref Unsafe.As<GeneralRegisters, ulong>(ref State.Gpr), index);

    /// <summary>Loads CS (and so the CPL) and switches the memory checks and fetch cache to match.</summary>
    private void SetCs(ushort cs)
    {
        State.Cs = cs;
        SyncPrivilege();
    }

    private void SyncPrivilege()
    {
        Memory.UserMode = State.Cpl == 3;
        InvalidateFetch();
    }

    /// <summary>Mappings changed: no cached fetch translation may be trusted.</summary>
    private void FlushFetchTlbs()
    {
        Array.Clear(kernelFetch);
        Array.Clear(userFetch);
        InvalidateFetch();
    }

    private void InvalidateFetch()
    {
        fetchPageBase = NoAddress;
        boundary = 0;
    }
}
