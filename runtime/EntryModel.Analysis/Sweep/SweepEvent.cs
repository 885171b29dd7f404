namespace EntryModel.Analysis.Sweep;

/// <summary>What the sweep injects at an instruction boundary.</summary>
public enum SweepEvent
{
    /// <summary>The watchdog's timer interrupt: its handler dumps the stack of what it interrupted, through the entry code.</summary>
    Timer,

    /// <summary>The scheduler's timer interrupt: it preempts the task where it can, and the sleeping task's stack is walked as livepatch walks it.</summary>
    Preempt,

    /// <summary>An NMI: the interrupted context is walked from the NMI's register set, as perf samples it.</summary>
    Nmi,
}

/// <summary>Names and vectors of the sweep's events.</summary>
public static class SweepEvents
{
    /// <summary>The default model's watchdog timer vector (its handler calls dump_stack).</summary>
    public const int WatchdogVector = 0xee;

    /// <summary>The default model's scheduler timer vector (its handler asks for a reschedule).</summary>
    public const int TimerVector = 0xef;

    /// <summary>The NMI vector.</summary>
    public const int NmiVector = 2;

    public static IReadOnlyList<string> Names { get; } = ["timer", "preempt", "nmi"];

    public static string Name(this SweepEvent e) => e switch
    {
        SweepEvent.Timer => "timer",
        SweepEvent.Preempt => "preempt",
        _ => "nmi",
    };

    public static bool TryParse(string text, out SweepEvent e)
    {
        int i = Names.ToList().IndexOf(text);
        e = (SweepEvent)Math.Max(i, 0);
        return i >= 0;
    }

    /// <summary>The vector the event is delivered through.</summary>
    public static int Vector(this SweepEvent e) => e switch
    {
        SweepEvent.Timer => WatchdogVector,
        SweepEvent.Preempt => TimerVector,
        _ => NmiVector,
    };
}
