using EntryModel.Unwinding.Reliable;
using EntryModel.Unwinding.Tests.Support;
using static EntryModel.Unwinding.Tests.Support.Frames;
using static EntryModel.Unwinding.Tests.Support.SyntheticKernel;

namespace EntryModel.Unwinding.Tests.Reliable;

/// <summary>Reliable mode (livepatch's): one test per reason to refuse, and a trace it vouches for.</summary>
public sealed class ReliableWalkerTests
{
    private static readonly ReliableWalker Walker = new(Unwind);

    [TestCase("frame-ptregs")]
    [TestCase("frame-encoded")]
    [TestCase("section")]
    [TestCase("task-flag")]
    public void A_sleeping_syscall_task_is_vouched_for_with_every_frame(string unwinder)
    {
        var scene = Scenes.Sleeping();

        var result = Walker.Walk(Unwinder(unwinder), scene.Start);

        Assert.That((result.Reliable, result.Refusal), Is.EqualTo((true, ReliableRefusal.None)));
        Assert.That(result.Frames, Is.EqualTo(Scenes.SleepingFrames(scene)));
    }

    [Test]
    public void A_running_context_with_only_calls_below_the_user_regs_is_vouched_for_including_its_current_frame()
    {
        var scene = Scenes.Syscall();

        var result = Walker.Walk(Unwinder("frame-ptregs"), scene.Start);

        Assert.That(result.Reliable, Is.True);
        Assert.That(result.Frames, Is.EqualTo((UnwindFrame[])[Current(LeafRunning), Call(InnerRet, scene.InnerSlot), .. scene.TaskTail]));
    }

    [TestCase("guess")]
    [TestCase("frame")]
    public void An_unwinder_that_cannot_see_pt_regs_is_refused_before_walking(string unwinder)
    {
        var scene = Scenes.Sleeping();

        var result = Walker.Walk(Unwinder(unwinder), scene.Start);

        Assert.That((result.Reliable, result.Refusal), Is.EqualTo((false, ReliableRefusal.UnwinderCannotVouch)));
        Assert.That(result.Frames, Is.Empty);
    }

    [TestCase("frame-ptregs", Marks.FakeFrame)]
    [TestCase("frame-encoded", Marks.EncodedBp)]
    [TestCase("section", Marks.None)]
    public void In_kernel_pt_regs_are_refused_at_the_regs_frame(string unwinder, Marks marks)
    {
        var scene = Scenes.PageFault(marks);

        var result = Walker.Walk(Unwinder(unwinder), scene.Start);

        Assert.That((result.Reliable, result.Refusal), Is.EqualTo((false, ReliableRefusal.InKernelRegs)));
        Assert.That(result.Frames[^1], Is.EqualTo(Regs(InnerFault, scene.KernelRegs, user: false)));
    }

    [Test]
    public void A_call_frame_whose_return_address_is_not_kernel_text_is_refused()
    {
        var frames = new[] { Call(ScheduleRet, TestStacks.Task.High - 0x100), Call(UserRip, TestStacks.Task.High - 0xf0) };

        var result = Walker.Walk(new ScriptedUnwinder(frames, done: true), Scenes.Sleeping().Start);

        Assert.That((result.Reliable, result.Refusal), Is.EqualTo((false, ReliableRefusal.NotKernelText)));
        Assert.That(result.Frames, Is.EqualTo(frames));
    }

    [Test]
    public void A_return_address_that_follows_no_call_is_refused()
    {
        var scene = Scenes.Sleeping();
        scene.Memory[scene.MiddleIndirectSlot] = Middle + 0x10;

        var result = Walker.Walk(Unwinder("frame-ptregs"), scene.Start);

        Assert.That((result.Reliable, result.Refusal), Is.EqualTo((false, ReliableRefusal.NotAfterCall)));
        Assert.That(result.Frames[^1], Is.EqualTo(Call(Middle + 0x10, scene.MiddleIndirectSlot)));
    }

    [Test]
    public void A_return_address_after_a_direct_call_to_another_function_than_the_inner_frames_is_refused()
    {
        // inner+9 follows "call leaf", but the frame inside it is in schedule.
        var scene = Scenes.Sleeping();
        scene.Memory[scene.MiddleIndirectSlot] = InnerRet;

        var result = Walker.Walk(Unwinder("frame-ptregs"), scene.Start);

        Assert.That((result.Reliable, result.Refusal), Is.EqualTo((false, ReliableRefusal.CallTargetMismatch)));
        Assert.That(result.Frames, Has.Count.EqualTo(2));
    }

    [Test]
    public void A_saved_rbp_forged_to_skip_a_frame_whose_caller_called_it_directly_is_refused()
    {
        // The record holding the return into middle now links to handler's record, not middle's:
        // the return into handler is skipped, and the next return address, into syscall_entry,
        // follows "call handler" while the frame inside it is in middle.
        var scene = Scenes.Sleeping();
        scene.Memory[scene.MiddleIndirectSlot - 8] = scene.SyscallSlot - 8;

        var result = Walker.Walk(Unwinder("frame-encoded"), scene.Start);

        Assert.That((result.Reliable, result.Refusal), Is.EqualTo((false, ReliableRefusal.CallTargetMismatch)));
        Assert.That(result.Frames[^1], Is.EqualTo(Call(SyscallEntryRet, scene.SyscallSlot)));
    }

    [Test]
    public void A_direct_call_to_the_function_holding_a_running_frames_ip_is_accepted()
    {
        // The check uses the exact ip of a running (Current) frame, not ip-1: leaf+8 is in leaf.
        var scene = Scenes.Syscall();

        var result = Walker.Walk(Unwinder("section"), scene.Start with { Ip = Leaf });

        Assert.That(result.Reliable, Is.True);
    }

    [Test]
    public void A_running_frame_in_another_function_than_the_call_target_is_refused()
    {
        var scene = Scenes.Syscall();

        var result = Walker.Walk(Unwinder("section"), scene.Start with { Ip = Inner + 0x10 });

        Assert.That(result.Refusal, Is.EqualTo(ReliableRefusal.CallTargetMismatch));
    }

    [Test]
    public void An_unwinder_error_is_refused()
    {
        var scene = Scenes.Sleeping();
        scene.Memory[scene.HandlerSlot] = UserRip;

        var result = Walker.Walk(Unwinder("frame-ptregs"), scene.Start);

        Assert.That((result.Reliable, result.Refusal), Is.EqualTo((false, ReliableRefusal.UnwinderError)));
        Assert.That(result.Reason, Does.Contain(nameof(UnwindError.NotKernelText)));
        Assert.That(result.Frames, Has.Count.EqualTo(2));
    }

    [Test]
    public void A_walk_that_ends_neither_done_nor_failed_is_refused_as_the_wrong_end()
    {
        var frames = new[] { Call(ScheduleRet, TestStacks.Task.High - 0x100) };

        var result = Walker.Walk(new ScriptedUnwinder(frames, done: false), Scenes.Sleeping().Start);

        Assert.That((result.Reliable, result.Refusal), Is.EqualTo((false, ReliableRefusal.WrongEnd)));
    }

    [Test]
    public void A_flagged_task_is_refused_for_the_unwinders_caveat()
    {
        var scene = Scenes.Sleeping(taskFlags: PreemptIrqFlag);

        var result = Walker.Walk(Unwinder("task-flag"), scene.Start);

        Assert.That((result.Reliable, result.Refusal), Is.EqualTo((false, ReliableRefusal.Caveat)));
        Assert.That(result.Frames, Is.EqualTo(Scenes.SleepingFrames(scene)), "every frame passed; only the caveat refuses");
    }

    [Test]
    public void A_caveat_is_refused_even_when_the_walk_also_ended_with_an_error()
    {
        var scene = Scenes.PageFault(Marks.None);
        scene.Memory[scene.EntrySlot] = UnrecordedEntryRet;

        var result = Walker.Walk(Unwinder("section"), scene.Start);

        Assert.That(result.Refusal, Is.EqualTo(ReliableRefusal.Caveat));
    }

    [Test]
    public void The_refusal_reasons_are_the_ones_these_tests_cover()
    {
        var tested = new[]
        {
            ReliableRefusal.None, ReliableRefusal.UnwinderCannotVouch, ReliableRefusal.InKernelRegs, ReliableRefusal.NotKernelText, ReliableRefusal.NotAfterCall,
            ReliableRefusal.CallTargetMismatch, ReliableRefusal.UnwinderError, ReliableRefusal.WrongEnd, ReliableRefusal.Caveat,
        };

        Assert.That(Enum.GetValues<ReliableRefusal>(), Is.EquivalentTo(tested));
    }
}
