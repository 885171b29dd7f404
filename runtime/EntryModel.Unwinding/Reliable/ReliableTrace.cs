namespace EntryModel.Unwinding.Reliable;

/// <summary>
/// What reliable mode returns: the trace when it vouches for every frame, or the refusal and its
/// reason. <see cref="Frames"/> holds what was walked either way (up to the refusal).
/// </summary>
public sealed record ReliableTrace(string Unwinder, bool Reliable, IReadOnlyList<UnwindFrame> Frames, ReliableRefusal Refusal, string Reason)
{
    public override string ToString() => Reliable ? $"reliable ({Frames.Count} frames)" : $"refused: {Reason}";
}
