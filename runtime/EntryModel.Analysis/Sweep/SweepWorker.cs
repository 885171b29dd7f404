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
    private readonly EventWatch watch = new();

    // One walk's frames, reused by every walk the worker judges.
    private readonly List<UnwindFrame> frames = [];

    // Claim as the session's delegate, made once: a point hands it over every time.
    private readonly Func<StackCapture, bool> claim;

    // The NMI samples' folded stacks, each distinct one put into words once.
    private readonly FoldedStackCache foldedStacks;
    private SessionSnapshot baseline;
    private StackCapture? sample;
    private Verdict? verdict;
    private bool judgeAtCapture;
    private SweepEvent sampling;
    private int outerVector = -1;

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
        claim = Claim;
        foldedStacks = new FoldedStackCache(judge.Image.Symbols);
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
        MoveTo(boundary);
        ulong rip = session.Machine.Cpu.Rip;
        var failure = InjectAndFinish(request.Event, judgeNow: true, toTheEnd: true);
        return Point(boundary, 0, rip, failure, folded);
    }

    /// <summary>
    /// A nested point set: the first event at <paramref name="boundary"/> (nested index 0), then an
    /// NMI at every boundary of its handler, from its first instruction to the IRETQ that ends it
    /// (or until the task is switched out, or <see cref="MaxHandlerWindow"/> instructions).
    /// </summary>
    public IEnumerable<SweepPoint> RunNested(long boundary, Dictionary<string, long>[]? folded)
    {
        yield return Run(boundary, folded);

        MoveTo(boundary);
        ulong rip = session.Machine.Cpu.Rip;
        int vector = request.Event.Vector();
        ulong stub = request.Image.Idt.Single(g => g.Vector == vector) is var gate && gate.Address != 0 ? gate.Address : session.Kernel.Symbol(gate.Stub);
        if (!EnterHandler(vector, stub))
        {
            yield break;
        }

        var handler = session.Save();
        var task = session.Kernel.Tasks.Current();
        long window = 0;
        session.Machine.Attach(watch);
        while (window < MaxHandlerWindow && session.Kernel.Tasks.Current() == task)
        {
            if (session.Run(1).Kind != StopKind.InstructionCount)
            {
                break;
            }

            window++;
            if (watch.Returned)
            {
                break;
            }
        }

        session.Machine.Detach(watch);
        var cursor = handler;
        for (long j = 0; j < window; j++)
        {
            // The first event's own dump is the sweep's too, not the scenario's, on the way there as after.
            outerVector = vector;
            session.ClaimDump = claim;
            cursor = MoveWithin(handler, cursor, handler.Retired + j);
            var failure = InjectAndFinish(SweepEvent.Nmi, judgeNow: true, toTheEnd: true);
            outerVector = -1;
            yield return Point(boundary, (int)(j + 1), rip, failure, folded);
        }
    }

    /// <summary>Instructions of the first event's handler a nested sweep covers at most.</summary>
    public const long MaxHandlerWindow = 4096;

    private bool EnterHandler(int vector, ulong stub)
    {
        watch.Arm(vector);
        session.Machine.Attach(watch);
        Inject(request.Event);
        session.Machine.AddBreakpoint(stub);
        try
        {
            while (true)
            {
                var stop = session.Run();
                if (stop.Kind != StopKind.Breakpoint || stop.Rip != stub)
                {
                    return false;
                }

                if (watch.Entered)
                {
                    return true;
                }
            }
        }
        finally
        {
            session.Machine.RemoveBreakpoint(stub);
            session.Machine.Detach(watch);
        }
    }

    /// <summary>One unwinder-by-unwinder judgement of a sample, with the folded stacks a profile would count (NMI samples only).</summary>
    private sealed record Verdict(SweepClass[] Classes, bool[] Vouched, string[]? Folded);

    private SweepPoint Point(long boundary, int nested, ulong rip, SweepFailure failure, Dictionary<string, long>[]? folded)
    {
        if (failure != SweepFailure.None || verdict is not { } v)
        {
            return new SweepPoint(boundary, nested, rip, failure == SweepFailure.None ? SweepFailure.NoSample : failure, [], []);
        }

        if (folded is not null && v.Folded is { } stacks)
        {
            for (int i = 0; i < stacks.Length; i++)
            {
                folded[i][stacks[i]] = folded[i].GetValueOrDefault(stacks[i]) + 1;
            }
        }

        return new SweepPoint(boundary, nested, rip, SweepFailure.None, v.Classes, v.Vouched);
    }

    /// <summary>Every unwinder on <paramref name="captured"/>, normal and reliable, against its truth.</summary>
    private Verdict Evaluate(StackCapture captured)
    {
        var classes = new SweepClass[unwinders.Length];
        var vouched = new bool[unwinders.Length];
        bool profile = sampling == SweepEvent.Nmi;
        var folded = profile ? new string[unwinders.Length + 1] : null;
        var truth = StackJudge.Truth(captured);
        for (int u = 0; u < unwinders.Length; u++)
        {
            var (walk, reliable) = judge.Verdicts(captured, unwinders[u], truth, frames);
            classes[u] = reliable == ReliableVerdict.WrongWhileReliable ? SweepClass.WrongWhileReliable
                : walk switch { TraceVerdict.Exact => SweepClass.Exact, TraceVerdict.Incomplete => SweepClass.Incomplete, _ => SweepClass.Wrong };
            vouched[u] = reliable == ReliableVerdict.Vouched;
            if (folded is not null)
            {
                folded[u] = foldedStacks.Fold(frames);
            }
        }

        // What perf would see: only NMI samples are profiles.
        if (folded is not null)
        {
            folded[^1] = foldedStacks.Fold(truth);
        }

        return new Verdict(classes, vouched, folded);
    }

    /// <summary>The event's sample at <paramref name="boundary"/> (the stack an unwinder is asked to walk, with its truth), where the event struck, and how the run ended.</summary>
    public (ulong Rip, SweepFailure Failure, StackCapture? Sample) Sample(long boundary)
    {
        MoveTo(boundary);
        ulong rip = session.Machine.Cpu.Rip;
        var failure = InjectAndFinish(request.Event, judgeNow: false, toTheEnd: true);
        return (rip, failure, sample);
    }

    /// <summary>
    /// The point without the transparency check: restore, inject, run only until the sample is
    /// taken, judge every unwinder. What a sweep point costs when it does not follow the run to its end.
    /// </summary>
    public SweepPoint JudgeOnly(long boundary)
    {
        MoveTo(boundary);
        ulong rip = session.Machine.Cpu.Rip;
        var failure = InjectAndFinish(request.Event, judgeNow: true, toTheEnd: false);
        return Point(boundary, 0, rip, failure, null);
    }

    /// <summary>From <paramref name="origin"/>, to the boundary where <paramref name="retired"/> instructions have retired, by way of <paramref name="cursor"/> when it is on the way; returns the cursor to use next.</summary>
    private SessionSnapshot MoveWithin(SessionSnapshot origin, SessionSnapshot cursor, long retired)
    {
        long target = retired - ((retired - origin.Retired) % Stride);
        if (cursor.Retired > retired || cursor.Retired < target)
        {
            if (cursor.Retired > target)
            {
                cursor = origin;
            }

            session.Restore(cursor);
            session.Run(target - cursor.Retired);
            cursor = session.Save();
        }

        session.Restore(cursor);
        session.Run(retired - cursor.Retired);
        session.Arrive();
        return cursor;
    }

    private void MoveTo(long boundary) => baseline = MoveWithin(start, baseline, boundary);

    private void Inject(SweepEvent e)
    {
        if (e == SweepEvent.Nmi)
        {
            session.Machine.InjectNmi();
        }
        else
        {
            session.Machine.InjectInterrupt(e.Vector());
        }
    }

    /// <summary>
    /// Injects <paramref name="e"/> and runs: to the scenario's end (<paramref name="toTheEnd"/>,
    /// concluding whether the event was transparent), or only until the sample is judged. With
    /// <paramref name="judgeNow"/> the sample is judged the moment it is taken, on the machine's live
    /// memory, so nothing is frozen and the next restore puts back the pages the point wrote; otherwise the sample
    /// is kept (frozen) in <see cref="sample"/>.
    /// </summary>
    private SweepFailure InjectAndFinish(SweepEvent e, bool judgeNow, bool toTheEnd)
    {
        sample = null;
        verdict = null;
        if (e == SweepEvent.Nmi && (session.Machine.NmiPending || session.Machine.NmiBlocked))
        {
            // An NMI is latched or running: a second one merges or waits for its IRETQ, as on the CPU; no sample of ours here.
            return SweepFailure.NoSample;
        }

        sampling = e;
        judgeAtCapture = judgeNow;
        session.ClaimDump = claim;
        session.CaptureLive = judgeNow;
        session.StopWhenClaimed = judgeNow;
        bool preempt = e == SweepEvent.Preempt;
        Inject(e);
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
                    if (sample is null && verdict is null && session.Kernel.Tasks.Current() is { } previous && SwitchedOutFromInterrupt(previous))
                    {
                        var sleeping = session.CaptureSleeping(previous);
                        session.ForgetCapture(sleeping);
                        Took(sleeping);
                    }
                }
                else if (stop.Kind != StopKind.HostRequest)
                {
                    break;
                }

                if (!toTheEnd && verdict is not null)
                {
                    return SweepFailure.None;
                }
            }
        }
        finally
        {
            session.Machine.InstructionBudget = budget;
            session.ClaimDump = null;
            session.CaptureLive = false;
            session.StopWhenClaimed = false;
            if (preempt)
            {
                session.Machine.RemoveBreakpoint(switchTo);
            }
        }

        return stop.Kind switch
        {
            StopKind.PowerOff => request.Scenario.Conclude(session, stop).OutcomeAsExpected ? SweepFailure.None : SweepFailure.WrongResult,
            StopKind.TripleFault => SweepFailure.TripleFault,
            StopKind.Budget => SweepFailure.BudgetExhausted,
            _ => SweepFailure.UnhandledException,
        };
    }

    /// <summary>The sample is taken: judged now (its memory is live, the machine stopped), or kept.</summary>
    private void Took(StackCapture captured)
    {
        if (judgeAtCapture)
        {
            verdict = Evaluate(captured);
        }
        else
        {
            sample = captured;
        }
    }

    /// <summary>Whether the task's live frames include the injected timer's interrupt: preempted by it, not sleeping of its own accord.</summary>
    private bool SwitchedOutFromInterrupt(KernelTask task)
    {
        foreach (var f in session.Machine.GroundTruth.ChainOfTaskInPlace(task.Stack))
        {
            if (f.Kind == TrueFrameKind.Interrupt && f.Vector == SweepEvents.TimerVector)
            {
                return true;
            }
        }

        return false;
    }

    private bool Claim(StackCapture capture)
    {
        if (sampling == SweepEvent.Preempt)
        {
            return false;
        }

        // Ours only when our event is the innermost one: a dump from a scenario's event nested inside ours is the scenario's.
        var live = capture.GroundTruth;
        for (int i = 0; i < live.Count; i++)
        {
            var f = live[i];
            if (f.IsBoundary)
            {
                if (f.Kind == TrueFrameKind.Interrupt && f.Vector == outerVector)
                {
                    return true;
                }

                if (sample is not null || verdict is not null || f.Kind != TrueFrameKind.Interrupt || f.Vector != sampling.Vector())
                {
                    return false;
                }

                Took(sampling == SweepEvent.Nmi ? FromRegisters(capture, f, i) : capture);
                return true;
            }
        }

        return false;
    }

    /// <summary>What perf walks: the interrupted context, from the register set the NMI saved, against the frames from the NMI's boundary out.</summary>
    private StackCapture FromRegisters(StackCapture capture, TrueFrame nmi, int index)
    {
        var start = UnwindStart.FromPtRegs(nmi.Slot - (ulong)ripOffset, capture.Start.Memory, capture.Start.Stacks, capture.Start.TaskStruct);
        var live = capture.GroundTruth;
        IReadOnlyList<TrueFrame> outer = live is TrueFrame[] array ? new ArraySegment<TrueFrame>(array, index, array.Length - index) : [.. live.Skip(index)];
        return new StackCapture("NMI sample", start, capture.Stack, outer);
    }
}
