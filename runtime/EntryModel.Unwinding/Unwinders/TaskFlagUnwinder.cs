using EntryModel.Unwinding.Image;

namespace EntryModel.Unwinding.Unwinders;

/// <summary>
/// <c>task-flag</c>: the %rbp chain, plus the task flag (PF_PREEMPT_IRQ) the strategy's entry code
/// sets while a task sleeps after being preempted from an interrupt. The flag says an in-kernel
/// pt_regs is on the sleeping task's stack, not where: the walk is the plain frame walk, and
/// reliable mode refuses a flagged task. A running context carries no such mark, so the unwinder
/// cannot vouch for one.
/// </summary>
public sealed class TaskFlagUnwinder(UnwindImage image) : FramePointerUnwinder(image)
{
    // Asked at every reliable walk: decided once.
    private readonly bool canVouch = image.Marks(StrategyMarks.TaskFlag) && image.TaskFlagsOffset >= 0 && image.PreemptIrqFlag != 0;

    public override string Name => "task-flag";

    public override string Description => "The %rbp chain plus the PF_PREEMPT_IRQ task flag: a flagged sleeping task has an in-kernel pt_regs on its stack.";

    /// <summary>Only where the strategy sets the flag and the image says where task flags are.</summary>
    public override bool CanVouch => canVouch;

    protected override void OnStart(ref UnwindState state, in UnwindStart start)
    {
        if (start.Kind != UnwindStartKind.SleepingTask || start.TaskStruct == 0 || Image.TaskFlagsOffset < 0 || Image.PreemptIrqFlag == 0)
        {
            state.Caveats |= UnwindCaveat.BoundariesUnmarked;
            return;
        }

        if (!start.Memory.TryReadUInt64(start.TaskStruct + (ulong)Image.TaskFlagsOffset, out ulong flags) || (flags & Image.PreemptIrqFlag) != 0)
        {
            state.Caveats |= UnwindCaveat.PreemptedFromInterrupt;
        }
    }
}
