using static EntryModel.Unwinding.Tests.Support.SyntheticKernel;

namespace EntryModel.Unwinding.Tests.Support;

/// <summary>Expected frames, spelled as the unwinders report them.</summary>
internal static class Frames
{
    public static UnwindFrame Current(ulong ip, StackKind stack = StackKind.Task) => new(UnwindFrameKind.Current, ip, 0, 0, false, stack);

    public static UnwindFrame Call(ulong ip, ulong slot, StackKind stack = StackKind.Task) => new(UnwindFrameKind.Call, ip, slot, 0, false, stack);

    public static UnwindFrame Regs(ulong ip, ulong regs, bool user, StackKind stack = StackKind.Task) => new(UnwindFrameKind.Regs, ip, regs + PtRegsRip, regs, user, stack);

    public static UnwindFrame Guess(ulong ip, ulong slot, StackKind stack = StackKind.Task) => new(UnwindFrameKind.Guess, ip, slot, 0, false, stack);
}
