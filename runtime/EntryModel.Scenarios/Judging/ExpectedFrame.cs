using EntryModel.Machine.GroundTruth;

namespace EntryModel.Scenarios.Judging;

/// <summary>
/// One frame as a comparison sees it: an address, and whether it is an event boundary (a RIP saved
/// by an exception, interrupt or syscall; user mode when the address is a user one) or a return address.
/// </summary>
public readonly record struct ExpectedFrame(ulong Ip, bool Boundary, bool UserMode)
{
    public static ExpectedFrame Of(TrueFrame frame) =>
        frame.IsBoundary ? new(frame.ReturnAddress, true, (long)frame.ReturnAddress >= 0) : new(frame.ReturnAddress, false, false);

    public static ExpectedFrame Of(UnwindFrame frame) =>
        frame.Kind == UnwindFrameKind.Regs ? new(frame.Ip, true, frame.UserMode) : new(frame.Ip, false, false);
}
