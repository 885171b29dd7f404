using EntryModel.Machine.Execution;
using EntryModel.Machine.GroundTruth;
using EntryModel.Machine.Tasks;
using EntryModel.Scenarios.Judging;
using EntryModel.Scenarios.Running;
using EntryModel.Unwinding;

namespace EntryModel.Analysis.Sweep;

/// <summary>
/// One thread's share of a sweep: a prepared session of the scenario, moved to each boundary by
/// restoring a base snapshot and running forward (a base every <see cref="Stride"/> instructions,
/// two snapshots alive at most), the event injected, the run taken to its end, and the event's
/// sample judged by every unwinder.
/// </summary>
internal sealed class SweepWorker
{
    /// <summary>Instructions between base snapshots: a point runs at most this many to reach its boundary.</summary>
    public const long Stride = 64;

    private readonly SweepRequest request;
    private readonly ScenarioSession session;
    private readonly SessionSnapshot start;
    private readonly IUnwinder[] unwinders;
    private readonly StackJudge judge;
    private readonly ulong switchTo;
    private readonly int ripOffset;
    private SessionSnapshot baseline;
    private StackCapture? sample;

    public SweepWorker(SweepRequest request, IReadOnlyList<string> unwinderNames, long budget)
    {
        this.request = request;
        session = Prepare(request);
        session.Machine.InstructionBudget = budget;
        session.StartRecording();
        start = session.Save();
        baseline = start;
        judge = new StackJudge(request.Image);
        unwinders = [.. unwinderNames.Select(n => UnwinderCatalog.Create(n, judge.Image))];
        switchTo = session.Kernel.Symbol("__switch_to");
        ripOffset = judge.Image.PtRegs.Ip;
    }

    /// <summary>The scenario prepared as the sweep runs it: for preemption, with a worker thread to switch to.</summary>
    public static ScenarioSession Prepare(SweepRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var session = request.Scenario.Prepare(request.Image);
        if (request.Event == SweepEvent.Preempt)
        {
            // A preempted task needs another to switch to; one that yields at once hands the CPU back.
            session.AddKernelThread("kworker", "task_kworker", "kthread_yield");
        }

        return session;
    }

    /// <summary>Injects the event before the instruction that retires as number <paramref name="boundary"/> and judges what follows.</summary>
    public SweepPoint Run(long boundary, Dictionary<string, long>[]? folded)
    {
        var (rip, failure, captured) = Sample(boundary);
        if (failure != SweepFailure.None || captured is null)
        {
            return new SweepPoint(boundary, 0, rip, failure == SweepFailure.None ? SweepFailure.NoSample : failure, [], []);
        }

        var classes = new SweepClass[unwinders.Length];
        var vouched = new bool[unwinders.Length];
        var truth = captured.GroundTruth.Select(ExpectedFrame.Of).ToArray();
        for (int u = 0; u < unwinders.Length; u++)
        {
            var (verdict, reliable, unwound) = judge.Verdicts(captured, unwinders[u]);
            classes[u] = reliable == ReliableVerdict.WrongWhileReliable ? SweepClass.WrongWhileReliable
                : verdict switch { TraceVerdict.Exact => SweepClass.Exact, TraceVerdict.Incomplete => SweepClass.Incomplete, _ => SweepClass.Wrong };
            vouched[u] = reliable == ReliableVerdict.Vouched;
            if (folded is not null)
            {
                Count(folded[u], FoldedStacks.Fold(unwound, judge.Image.Symbols));
            }
        }

        if (folded is not null)
        {
            Count(folded[^1], FoldedStacks.Fold(truth, judge.Image.Symbols));
        }

        return new SweepPoint(boundary, 0, rip, SweepFailure.None, classes, vouched);
    }

    /// <summary>The event's sample at <paramref name="boundary"/> (the stack an unwinder is asked to walk, with its truth), where the event struck, and how the run ended.</summary>
    public (ulong Rip, SweepFailure Failure, StackCapture? Sample) Sample(long boundary)
    {
        MoveTo(boundary);
        ulong rip = session.Machine.Cpu.Rip;
        var (failure, captured) = InjectAndFinish();
        return (rip, failure, captured);
    }

    private static void Count(Dictionary<string, long> counts, string stack) =>
        counts[stack] = counts.GetValueOrDefault(stack) + 1;

    private void MoveTo(long boundary)
    {
        long target = boundary - (boundary % Stride);
        if (baseline.Retired > boundary || baseline.Retired < target)
        {
            if (baseline.Retired > target)
            {
                baseline = start;
            }

            session.Restore(baseline);
            session.Run(target - baseline.Retired);
            baseline = session.Save();
        }

        session.Restore(baseline);
        session.Run(boundary - baseline.Retired);

        // The scenario's own triggers at this boundary act first, as in the reference run.
        session.Arrive();
    }

    private (SweepFailure Failure, StackCapture? Sample) InjectAndFinish()
    {
        sample = null;
        session.ClaimDump = Claim;
        bool preempt = request.Event == SweepEvent.Preempt;
        switch (request.Event)
        {
            case SweepEvent.Nmi when session.Machine.NmiPending:
                // The scenario's own NMI is latched: a second one merges into it, as on the CPU; no sample of ours.
                session.ClaimDump = null;
                return (SweepFailure.NoSample, null);
            case SweepEvent.Nmi:
                session.Machine.InjectNmi();
                break;
            default:
                session.Machine.InjectInterrupt(request.Event.Vector());
                break;
        }

        if (preempt)
        {
            session.Machine.AddBreakpoint(switchTo);
        }

        StopReason stop;
        long budget = session.Machine.InstructionBudget;
        long started = session.Machine.Retired;
        try
        {
            while (true)
            {
                // The sample's own stops must not renew the run's budget.
                session.Machine.InstructionBudget = Math.Max(0, budget - (session.Machine.Retired - started));
                stop = session.Run();
                if (preempt && stop.Kind == StopKind.Breakpoint && stop.Rip == switchTo)
                {
                    // __switch_to runs with the previous task's registers saved and its RSP stored: asleep.
                    if (sample is null && session.Kernel.Tasks.Current() is { } previous && SwitchedOutFromInterrupt(previous))
                    {
                        sample = session.CaptureSleeping(previous);
                        session.ForgetCapture(sample);
                    }

                    continue;
                }

                break;
            }
        }
        finally
        {
            session.Machine.InstructionBudget = budget;
            session.ClaimDump = null;
            if (preempt)
            {
                session.Machine.RemoveBreakpoint(switchTo);
            }
        }

        var failure = stop.Kind switch
        {
            StopKind.PowerOff => request.Scenario.Conclude(session, stop).OutcomeAsExpected ? SweepFailure.None : SweepFailure.WrongResult,
            StopKind.TripleFault => SweepFailure.TripleFault,
            StopKind.Budget => SweepFailure.BudgetExhausted,
            _ => SweepFailure.UnhandledException,
        };
        return (failure, sample);
    }

    /// <summary>Whether the task's live frames include the injected timer's interrupt: preempted by it, not sleeping of its own accord.</summary>
    private bool SwitchedOutFromInterrupt(KernelTask task) =>
        session.Machine.GroundTruth.ChainOfTask(task.Stack).Any(f => f.Kind == TrueFrameKind.Interrupt && f.Vector == SweepEvents.TimerVector);

    private bool Claim(StackCapture capture)
    {
        if (sample is not null || request.Event == SweepEvent.Preempt)
        {
            return false;
        }

        // Ours only when our event is the innermost one: a dump from a scenario's event nested inside ours is the scenario's.
        var frames = capture.GroundTruth;
        for (int i = 0; i < frames.Count; i++)
        {
            var f = frames[i];
            if (f.IsBoundary)
            {
                if (f.Kind != TrueFrameKind.Interrupt || f.Vector != request.Event.Vector())
                {
                    return false;
                }

                sample = request.Event == SweepEvent.Nmi ? FromRegisters(capture, f, i) : capture;
                return true;
            }
        }

        return false;
    }

    /// <summary>What perf walks: the interrupted context, from the register set the NMI saved, against the frames from the NMI's boundary out.</summary>
    private StackCapture FromRegisters(StackCapture capture, TrueFrame nmi, int index)
    {
        var start = UnwindStart.FromPtRegs(nmi.Slot - (ulong)ripOffset, capture.Start.Memory, capture.Start.Stacks, capture.Start.TaskStruct);
        return new StackCapture("NMI sample", start, capture.Stack, [.. capture.GroundTruth.Skip(index)]);
    }
}
