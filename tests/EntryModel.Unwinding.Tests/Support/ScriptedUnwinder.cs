namespace EntryModel.Unwinding.Tests.Support;

/// <summary>
/// An unwinder that reports given frames and then ends as told (done, an error, or neither): what
/// reliable mode must judge when a real unwinder cannot be made to produce a case.
/// </summary>
internal sealed class ScriptedUnwinder(IReadOnlyList<UnwindFrame> frames, bool done, UnwindError error = UnwindError.None) : IUnwinder
{
    public string Name => "scripted";

    public string Description => "Reports a fixed list of frames.";

    public bool CanVouch => true;

    public bool Start(ref UnwindState state, in UnwindStart start)
    {
        state = new UnwindState { Memory = start.Memory, Stacks = start.Stacks, Stack = TestStacks.Task, Frames = -1 };
        return NextFrame(ref state);
    }

    public bool NextFrame(ref UnwindState state)
    {
        int next = state.Frames + 1;
        if (next >= frames.Count)
        {
            if (done)
            {
                return state.Finish();
            }

            if (error != UnwindError.None)
            {
                return state.Fail(error);
            }

            state.Kind = UnwindFrameKind.None;
            return false;
        }

        var frame = frames[next];
        state.Frames = next;
        state.Kind = frame.Kind;
        state.Ip = frame.Ip;
        state.Slot = frame.Slot;
        state.Regs = frame.Regs;
        state.UserMode = frame.UserMode;
        return true;
    }
}
