using EntryModel.Machine.Tasks;

namespace EntryModel.Machine.GroundTruth;

/// <summary>
/// One live frame as it really happened. <see cref="ReturnAddress"/> is where execution resumes when
/// the frame ends (the caller's return address, or the interrupted RIP); <see cref="Slot"/> is the
/// stack address holding it (0 for syscall); <see cref="CallerRsp"/> is RSP just before the event;
/// <see cref="Target"/> is the function or handler entered (or the new RSP of a stack switch).
/// </summary>
public readonly record struct TrueFrame(
    TrueFrameKind Kind,
    ulong ReturnAddress,
    ulong Slot,
    ulong Target,
    ulong CallerRsp,
    int Vector,
    StackInfo? Stack,
    StackInfo? FromStack)
{
    public bool IsBoundary => Kind is TrueFrameKind.Exception or TrueFrameKind.Interrupt or TrueFrameKind.SoftwareInterrupt or TrueFrameKind.Syscall;
}
