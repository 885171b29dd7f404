namespace EntryModel.Analysis.Sweep;

/// <summary>One unwinder's counts over a sweep: the four classes, and how often reliable mode vouched (rightly).</summary>
public sealed record UnwinderTally(string Unwinder, long Exact, long Incomplete, long Wrong, long WrongWhileReliable, long Vouched)
{
    public long Samples => Exact + Incomplete + Wrong + WrongWhileReliable;

    public UnwinderTally Add(UnwinderTally other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new(Unwinder, Exact + other.Exact, Incomplete + other.Incomplete, Wrong + other.Wrong, WrongWhileReliable + other.WrongWhileReliable, Vouched + other.Vouched);
    }
}
