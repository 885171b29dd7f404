using EntryModel.Unwinding;
using EntryModel.Unwinding.Reliable;

namespace EntryModel.Scenarios.Judging;

/// <summary>One row of a walk set beside the truth: either side may be missing when the lengths differ.</summary>
public readonly record struct JudgedRow(string? Unwound, string? Truth)
{
    public bool Matches => Unwound is not null && Unwound == Truth;
}

/// <summary>
/// What one unwinder made of one captured stack: its walk (normal mode), the walk's frames beside
/// the live ones with the verdict, and reliable mode's answer with its verdict.
/// </summary>
public sealed record StackJudgement(
    string Unwinder,
    UnwindTrace Trace,
    IReadOnlyList<JudgedRow> Rows,
    TraceVerdict Verdict,
    ReliableTrace Reliable,
    ReliableVerdict ReliableVerdict)
{
    public int MatchingRows => Rows.Count(r => r.Matches);
}
