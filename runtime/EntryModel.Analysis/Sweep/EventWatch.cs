using EntryModel.Machine.GroundTruth;
using EntryModel.Machine.Observers;

namespace EntryModel.Analysis.Sweep;

/// <summary>
/// Watches the machine for one event: the first entry through <see cref="Vector"/> after
/// <see cref="Arm"/>, and the IRETQ that pops its frame, so a nested sweep knows the boundaries
/// of the first event's handler.
/// </summary>
internal sealed class EventWatch : IMachineObserver
{
    private ulong slot;

    public int Vector { get; private set; } = -1;

    public bool Entered { get; private set; }

    public bool Returned { get; private set; }

    public void Arm(int vector)
    {
        Vector = vector;
        Entered = false;
        Returned = false;
        slot = 0;
    }

    public void OnEventEntry(TrueFrameKind kind, int vector, ulong slot, ulong interruptedRip, ulong interruptedRsp, ulong handler, bool fromUser)
    {
        if (!Entered && vector == Vector && kind == TrueFrameKind.Interrupt)
        {
            Entered = true;
            this.slot = slot;
        }
    }

    public void OnIret(ulong rsp, ulong newRsp, bool toUser)
    {
        if (Entered && rsp == slot)
        {
            Returned = true;
        }
    }

    public void OnCall(ulong slot, ulong returnAddress, ulong target, ulong callerRsp)
    {
    }

    public void OnReturn(ulong rsp)
    {
    }

    public void OnSyscall(ulong userRip, ulong userRsp, ulong entry)
    {
    }

    public void OnSysret(ulong newRsp)
    {
    }

    public void OnStackPointerWrite(ulong oldRsp, ulong newRsp)
    {
    }
}
