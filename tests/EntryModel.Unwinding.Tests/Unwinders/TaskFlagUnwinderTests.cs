using EntryModel.Unwinding.Image;
using EntryModel.Unwinding.Tests.Support;
using EntryModel.Unwinding.Unwinders;
using static EntryModel.Unwinding.Tests.Support.SyntheticKernel;

namespace EntryModel.Unwinding.Tests.Unwinders;

/// <summary><c>task-flag</c>: the plain %rbp chain, with what the task flag (or its absence) says as caveats.</summary>
public sealed class TaskFlagUnwinderTests
{
    [Test]
    public void A_sleeping_task_without_the_flag_is_walked_with_no_caveat()
    {
        var scene = Scenes.Sleeping(taskFlags: 0x40);

        var trace = scene.Walk("task-flag");

        Assert.That(trace.Frames, Is.EqualTo(Scenes.SleepingFrames(scene)));
        Assert.That((trace.Done, trace.Caveats), Is.EqualTo((true, UnwindCaveat.None)));
    }

    [Test]
    public void A_sleeping_task_with_PF_PREEMPT_IRQ_set_gets_the_preempted_from_interrupt_caveat()
    {
        var scene = Scenes.Sleeping(taskFlags: PreemptIrqFlag | 0x40);

        var trace = scene.Walk("task-flag");

        Assert.That(trace.Frames, Is.EqualTo(Scenes.SleepingFrames(scene)));
        Assert.That((trace.Done, trace.Caveats), Is.EqualTo((true, UnwindCaveat.PreemptedFromInterrupt)));
    }

    [Test]
    public void An_unreadable_task_struct_counts_as_flagged()
    {
        var scene = Scenes.Sleeping();
        var start = scene.Start with { TaskStruct = TestStacks.TaskStruct + 0x1000 };

        var trace = UnwindTrace.Collect(Unwinder("task-flag"), start);

        Assert.That(trace.Caveats, Is.EqualTo(UnwindCaveat.PreemptedFromInterrupt));
    }

    [Test]
    public void A_registers_start_gets_the_boundaries_unmarked_caveat()
    {
        var scene = Scenes.Syscall();

        var trace = scene.Walk("task-flag");

        Assert.That(trace.Frames, Is.EqualTo(Scenes.Syscall().Walk("frame").Frames));
        Assert.That((trace.Done, trace.Caveats), Is.EqualTo((true, UnwindCaveat.BoundariesUnmarked)));
    }

    [Test]
    public void A_sleeping_start_without_a_task_struct_gets_the_boundaries_unmarked_caveat()
    {
        var scene = Scenes.Sleeping();
        var start = scene.Start with { TaskStruct = 0 };

        var trace = UnwindTrace.Collect(Unwinder("task-flag"), start);

        Assert.That(trace.Caveats, Is.EqualTo(UnwindCaveat.BoundariesUnmarked));
    }

    [Test]
    public void An_image_that_defines_no_task_flag_gives_the_boundaries_unmarked_caveat()
    {
        var scene = Scenes.Sleeping();
        var unwinder = new TaskFlagUnwinder(new UnwindImage(Build(constants: false)));

        var trace = UnwindTrace.Collect(unwinder, scene.Start);

        Assert.That(trace.Caveats, Is.EqualTo(UnwindCaveat.BoundariesUnmarked));
    }
}
