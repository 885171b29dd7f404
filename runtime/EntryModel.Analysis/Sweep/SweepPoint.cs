namespace EntryModel.Analysis.Sweep;

/// <summary>
/// One injection point: the boundary (instructions retired before the event; for nested points,
/// also the boundary inside the first event's handler), where the interrupted code was, what
/// became of the run, and each unwinder's class (in <see cref="SweepResult.Unwinders"/> order;
/// empty without a sample), and whether reliable mode vouched for an exact trace.
/// </summary>
public sealed record SweepPoint(long Boundary, int Nested, ulong Rip, SweepFailure Failure, SweepClass[] Classes, bool[] Vouched);
