using EntryModel.Unwinding.Tests.Support;
using static EntryModel.Unwinding.Tests.Support.Frames;
using static EntryModel.Unwinding.Tests.Support.SyntheticKernel;

namespace EntryModel.Unwinding.Tests.Unwinders;

/// <summary>The plain %rbp chain (<c>frame</c>): its three starts, the last-task-frame rule, and what it cannot see.</summary>
public sealed class FramePointerUnwinderTests
{
    [Test]
    public void Frame_walk_from_registers_follows_the_rbp_chain_to_the_user_pt_regs()
    {
        var scene = Scenes.Syscall();

        var trace = scene.Walk("frame");

        Assert.That(trace.Frames, Is.EqualTo((UnwindFrame[])[Current(LeafRunning), Call(InnerRet, scene.InnerSlot), .. scene.TaskTail]));
        Assert.That((trace.Done, trace.Error, trace.Caveats), Is.EqualTo((true, UnwindError.None, UnwindCaveat.None)));
    }

    [Test]
    public void Sleeping_task_start_reports_the_switch_frame_return_address_first()
    {
        var scene = Scenes.Sleeping();

        var trace = scene.Walk("frame");

        Assert.That(trace.Frames, Is.EqualTo(Scenes.SleepingFrames(scene)));
        Assert.That((trace.Done, trace.Error), Is.EqualTo((true, UnwindError.None)));
    }

    [Test]
    public void PtRegs_start_reports_the_saved_rip_first_and_goes_on_from_the_saved_rbp()
    {
        var scene = Scenes.PageFault(Marks.None);
        var start = UnwindStart.FromPtRegs(scene.KernelRegs, scene.Memory, TestStacks.All);

        var trace = UnwindTrace.Collect(Unwinder("frame"), start);

        Assert.That(trace.Frames, Is.EqualTo((UnwindFrame[])[Regs(InnerFault, scene.KernelRegs, user: false), .. scene.TaskTail]));
        Assert.That(trace.Done, Is.True);
    }

    [Test]
    public void The_frame_right_below_the_top_pt_regs_is_followed_by_the_user_regs_and_then_the_walk_is_done()
    {
        var scene = Scenes.Syscall();
        ulong lastRecord = scene.SyscallSlot - 8;
        var start = UnwindStart.FromRegisters(HandlerDump, lastRecord, lastRecord, scene.Memory, TestStacks.All);

        var trace = UnwindTrace.Collect(Unwinder("frame"), start);

        Assert.That(lastRecord, Is.EqualTo(TestStacks.Task.High - SizeOfPtRegs - 16));
        Assert.That(trace.Frames, Is.EqualTo((UnwindFrame[])[Current(HandlerDump), Call(SyscallEntryRet, scene.SyscallSlot), Regs(UserRip, scene.UserRegs, user: true)]));
        Assert.That((trace.Done, trace.Error), Is.EqualTo((true, UnwindError.None)));
    }

    [Test]
    public void A_frame_record_one_word_lower_is_not_the_last_task_frame_and_its_saved_rbp_is_followed()
    {
        // The same record moved down a word: its saved %rbp (the user's) is followed, off the stack.
        var memory = new FakeMemory();
        var w = new StackWriter(memory, TestStacks.Task.High) { Bp = UserBp };
        w.PushPtRegs(UserRip, UserCs, UserSp, UserBp, UserSs);
        w.Push(0);
        ulong slot = w.Call(SyscallEntryRet);
        ulong record = w.Enter();
        var start = UnwindStart.FromRegisters(HandlerDump, record, record, memory, TestStacks.All);

        var trace = UnwindTrace.Collect(Unwinder("frame"), start);

        Assert.That(trace.Frames, Is.EqualTo((UnwindFrame[])[Current(HandlerDump), Call(SyscallEntryRet, slot)]));
        Assert.That((trace.Done, trace.Error), Is.EqualTo((false, UnwindError.EndOfStack)));
    }

    [Test]
    public void Kernel_mode_top_pt_regs_end_a_kernel_threads_walk_without_a_frame()
    {
        var scene = Scenes.KernelThread();

        var trace = scene.Walk("frame");

        Assert.That(trace.Frames, Is.EqualTo((UnwindFrame[])[Current(Middle + 0x10), Call(HandlerRet, scene.HandlerSlot), Call(SyscallEntryRet, scene.SyscallSlot)]));
        Assert.That((trace.Done, trace.Error), Is.EqualTo((true, UnwindError.None)));
    }

    [Test]
    public void Frame_walk_under_none_skips_the_interrupted_function()
    {
        var scene = Scenes.PageFault(Marks.None);

        var trace = scene.Walk("frame");

        Assert.That(trace.Frames, Is.EqualTo((UnwindFrame[])[Current(HandlerDump), Call(PageFaultEntryRet, scene.EntrySlot), .. scene.TaskTail]));
        Assert.That(trace.Frames.Select(f => f.Ip), Has.No.Member(InnerFault));
        Assert.That(trace.Done, Is.True);
    }

    [Test]
    public void Frame_walk_reports_the_fake_frames_pt_regs_plus_1_as_an_ordinary_return_address()
    {
        var scene = Scenes.PageFault(Marks.FakeFrame);

        var trace = scene.Walk("frame");

        Assert.That(trace.Frames.Take(3), Is.EqualTo((UnwindFrame[])[Current(HandlerDump), Call(PageFaultEntryRet, scene.EntrySlot), Call(PtRegsMarkerRet, scene.EntrySlot + 16)]));
        Assert.That(trace.Frames.Skip(3), Is.EqualTo(scene.TaskTail));
    }
}
