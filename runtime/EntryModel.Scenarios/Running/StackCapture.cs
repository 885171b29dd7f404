using EntryModel.Machine.GroundTruth;

namespace EntryModel.Scenarios.Running;

/// <summary>
/// A stack taken during a run, ready to be unwound any number of times: where the walk starts
/// (a running context's registers, or a sleeping task's saved RSP), the memory frozen at that moment,
/// the stacks the task's walk may use, and, kept apart for judging only, the frames that were
/// really live (innermost first, up to the first return to user mode).
/// </summary>
public sealed record StackCapture(
    string Title,
    UnwindStart Start,
    StackInfo Stack,
    IReadOnlyList<TrueFrame> GroundTruth);
