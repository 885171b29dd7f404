using EntryModel.Machine.GroundTruth;

namespace EntryModel.Scenarios.Running;

/// <summary>
/// A stack taken during a run, ready to be unwound any number of times: where the walk starts
/// (a running context's registers, or a sleeping task's saved RSP), the memory frozen at that moment,
/// the stacks the task's walk may use, and, kept apart for judging only, the frames that were
/// really live (innermost first, up to the first return to user mode).
/// </summary>
public sealed class StackCapture
{
    private readonly Func<string>? describe;
    private string? title;

    public StackCapture(string title, UnwindStart start, StackInfo stack, IReadOnlyList<TrueFrame> groundTruth)
        : this(start, stack, groundTruth)
    {
        ArgumentNullException.ThrowIfNull(title);
        this.title = title;
    }

    /// <summary>
    /// A capture whose title is put into words only when someone reads it: a sweep takes hundreds of
    /// thousands of captures and reads none of their titles.
    /// </summary>
    public StackCapture(Func<string> describe, UnwindStart start, StackInfo stack, IReadOnlyList<TrueFrame> groundTruth)
        : this(start, stack, groundTruth)
    {
        ArgumentNullException.ThrowIfNull(describe);
        this.describe = describe;
    }

    private StackCapture(UnwindStart start, StackInfo stack, IReadOnlyList<TrueFrame> groundTruth)
    {
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentNullException.ThrowIfNull(groundTruth);
        Start = start;
        Stack = stack;
        GroundTruth = groundTruth;
    }

    /// <summary>What the stack is, as a report heads it (e.g. "DUMP_STACK from show_stack+0xc/0xe on task 0").</summary>
    public string Title => title ??= describe!();

    public UnwindStart Start { get; }

    public StackInfo Stack { get; }

    public IReadOnlyList<TrueFrame> GroundTruth { get; }

    public override string ToString() => Title;
}
