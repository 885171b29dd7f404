using EntryModel.Machine.GroundTruth;

namespace EntryModel.Machine.Observers;

/// <summary>Several attached observers behind the machine's one observer field: each report goes to all, in attach order.</summary>
internal sealed class ObserverFanOut(IMachineObserver[] observers) : IMachineObserver
{
    public void OnCall(ulong slot, ulong returnAddress, ulong target, ulong callerRsp)
    {
        foreach (var o in observers)
        {
            o.OnCall(slot, returnAddress, target, callerRsp);
        }
    }

    public void OnReturn(ulong rsp)
    {
        foreach (var o in observers)
        {
            o.OnReturn(rsp);
        }
    }

    public void OnEventEntry(TrueFrameKind kind, int vector, ulong slot, ulong interruptedRip, ulong interruptedRsp, ulong handler, bool fromUser)
    {
        foreach (var o in observers)
        {
            o.OnEventEntry(kind, vector, slot, interruptedRip, interruptedRsp, handler, fromUser);
        }
    }

    public void OnIret(ulong rsp, ulong newRsp, bool toUser)
    {
        foreach (var o in observers)
        {
            o.OnIret(rsp, newRsp, toUser);
        }
    }

    public void OnSyscall(ulong userRip, ulong userRsp, ulong entry)
    {
        foreach (var o in observers)
        {
            o.OnSyscall(userRip, userRsp, entry);
        }
    }

    public void OnSysret(ulong newRsp)
    {
        foreach (var o in observers)
        {
            o.OnSysret(newRsp);
        }
    }

    public void OnStackPointerWrite(ulong oldRsp, ulong newRsp)
    {
        foreach (var o in observers)
        {
            o.OnStackPointerWrite(oldRsp, newRsp);
        }
    }
}
