using EntryModel.Machine.GroundTruth;
using EntryModel.Unwinding.Printing;

namespace EntryModel.Scenarios.Running;

/// <summary>
/// A stack trace taken during a run: where it was asked for (the DUMP_STACK hypercall's RIP, or a
/// sleeping task's saved RSP), the stack pointer and frame pointer the printer started from, the
/// stack it walked, the printed lines, and, kept apart for judging, the frames that were really live.
/// </summary>
public sealed record CapturedTrace(
    string Title,
    ulong Rip,
    ulong Sp,
    ulong Bp,
    StackBounds Stack,
    IReadOnlyList<StackTraceLine> Lines,
    IReadOnlyList<TrueFrame> GroundTruth)
{
    /// <summary>The trace as the kernel printed it, one string per line.</summary>
    public IReadOnlyList<string> Text => [.. Lines.Select(l => l.ToString())];
}
