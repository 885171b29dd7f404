namespace EntryModel.Unwinding.Unwinders;

/// <summary>
/// How a frame-family strategy marks the pt_regs its entry code leaves, as the batch loop of
/// <see cref="FramePointerUnwinder"/> asks it: implemented by a struct, so the loop is compiled
/// once per strategy with the strategy's rule inlined (no call per frame). What the rule cannot
/// decide from the address alone it leaves to the unwinder's own step (<see cref="MarkedRecordKind.Unknown"/>).
/// </summary>
internal interface IFrameMarks
{
    /// <summary>
    /// Whether a saved %rbp is not a frame record's address but points at pt_regs (Linux's encoded
    /// %rbp): then where they are.
    /// </summary>
    bool TryDecodeRegs(ulong bp, out ulong regs);

    /// <summary>Whether the strategy marks the return address <paramref name="ret"/> (then <see cref="Follow"/> says what the record is): asked for every frame record.</summary>
    bool IsMarked(ulong ret);

    /// <summary>How the walk goes on from a frame record returning to <paramref name="ret"/>, one of the return addresses the strategy marks.</summary>
    MarkedRecord Follow(ulong ret);
}

/// <summary>What a marked frame record is (<see cref="IFrameMarks.Follow"/>).</summary>
internal enum MarkedRecordKind : byte
{
    /// <summary>Not decided here: the unwinder's step takes it.</summary>
    Unknown,

    /// <summary>An ordinary frame record after all.</summary>
    Plain,

    /// <summary>The fake pt_regs frame: no frame of its own; the word above it points at the pt_regs, which come next.</summary>
    FakeFrame,

    /// <summary>A call in entry code: a frame of its own, then the pt_regs at <see cref="MarkedRecord.Offset"/> from its return-address slot (or at the address stored there).</summary>
    EntryCall,
}

/// <summary>A marked frame record's kind and, for an entry call, where its pt_regs are (<see cref="Image.EntryRegsRecord"/>).</summary>
internal readonly record struct MarkedRecord(MarkedRecordKind Kind, long Offset = 0, bool Indirect = false);

/// <summary>Return addresses in [<see cref="Low"/>, <see cref="Low"/> + <see cref="Span"/>): none when the span is 0.</summary>
internal readonly record struct MarkedRange(ulong Low, ulong Span)
{
    public bool Contains(ulong ret) => ret - Low < Span;
}

/// <summary>The plain %rbp chain's rule: nothing is marked.</summary>
internal readonly struct NoFrameMarks : IFrameMarks
{
    public bool TryDecodeRegs(ulong bp, out ulong regs)
    {
        regs = 0;
        return false;
    }

    public bool IsMarked(ulong ret) => false;

    public MarkedRecord Follow(ulong ret) => default;
}
