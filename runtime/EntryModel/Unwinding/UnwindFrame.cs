namespace EntryModel;

/// <summary>One frame of a collected walk: what the unwinder's state stood on.</summary>
public readonly record struct UnwindFrame(UnwindFrameKind Kind, ulong Ip, ulong Slot, ulong Regs, bool UserMode, StackKind Stack)
{
    public static UnwindFrame Of(in UnwindState state) =>
        new(state.Kind, state.Ip, state.Slot, state.Regs, state.UserMode, state.Stack?.Kind ?? StackKind.Unknown);

    /// <summary>Whether <see cref="Ip"/> is a return address (symbolized at address-1) rather than an exact RIP.</summary>
    public bool IsReturnAddress => Kind is UnwindFrameKind.Call or UnwindFrameKind.Guess;
}
