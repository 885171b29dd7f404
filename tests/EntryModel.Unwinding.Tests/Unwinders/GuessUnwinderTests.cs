using EntryModel.Unwinding.Tests.Support;
using static EntryModel.Unwinding.Tests.Support.Frames;
using static EntryModel.Unwinding.Tests.Support.SyntheticKernel;

namespace EntryModel.Unwinding.Tests.Unwinders;

/// <summary><c>guess</c>: every kernel text word from the start upward, across stack links.</summary>
public sealed class GuessUnwinderTests
{
    [Test]
    public void Guess_scans_the_irq_stack_then_crosses_its_link_and_scans_the_task_stack_to_its_end()
    {
        var scene = Scenes.Irq(Marks.RegsPointer);

        var trace = scene.Walk("guess");

        Assert.That(trace.Frames, Is.EqualTo((UnwindFrame[])
        [
            Current(HandlerDump, StackKind.Irq), Guess(IrqEntryRet, scene.EntrySlot, StackKind.Irq),
            Guess(InnerFault, scene.KernelRegs + PtRegsRip), Guess(MiddleRet, scene.MiddleSlot), Guess(HandlerRet, scene.HandlerSlot),
            Guess(SyscallEntryRet, scene.SyscallSlot),
        ]));
        Assert.That((trace.Done, trace.Error), Is.EqualTo((true, UnwindError.None)));
    }

    [Test]
    public void Guess_reports_stale_text_words_such_as_the_fake_frames_pt_regs_plus_1()
    {
        var scene = Scenes.PageFault(Marks.FakeFrame);

        var trace = scene.Walk("guess");

        Assert.That(trace.Frames.Take(4), Is.EqualTo((UnwindFrame[])
        [
            Current(HandlerDump), Guess(PageFaultEntryRet, scene.EntrySlot), Guess(PtRegsMarkerRet, scene.EntrySlot + 16), Guess(InnerFault, scene.KernelRegs + PtRegsRip),
        ]));
    }

    [Test]
    public void Guess_from_a_sleeping_task_starts_scanning_at_the_saved_rsp()
    {
        var scene = Scenes.Sleeping();

        var trace = scene.Walk("guess");

        Assert.That(trace.Frames, Is.EqualTo((UnwindFrame[])
        [
            Guess(ScheduleRet, scene.ScheduleSlot), Guess(MiddleIndirectRet, scene.MiddleIndirectSlot), Guess(HandlerRet, scene.HandlerSlot), Guess(SyscallEntryRet, scene.SyscallSlot),
        ]));
        Assert.That(trace.Done, Is.True);
    }

    [Test]
    public void Guess_fails_with_UnknownStack_off_every_stack()
    {
        var scene = Scenes.Syscall();

        var trace = UnwindTrace.Collect(Unwinder("guess"), scene.Start with { Sp = UserSp });

        Assert.That((trace.Frames.Count, trace.Error), Is.EqualTo((0, UnwindError.UnknownStack)));
    }

    [Test]
    public void Guess_fails_with_EndOfStack_when_the_irq_stacks_link_leads_nowhere()
    {
        var scene = Scenes.Irq(Marks.RegsPointer);
        scene.Memory[scene.IrqLinkSlot] = UserSp;

        var trace = scene.Walk("guess");

        Assert.That(trace.Frames, Is.EqualTo((UnwindFrame[])[Current(HandlerDump, StackKind.Irq), Guess(IrqEntryRet, scene.EntrySlot, StackKind.Irq)]));
        Assert.That(trace.Error, Is.EqualTo(UnwindError.EndOfStack));
    }

    [Test]
    public void Guess_fails_with_StackRevisited_when_the_irq_stack_links_to_itself()
    {
        var scene = Scenes.Irq(Marks.RegsPointer);
        scene.Memory[scene.IrqLinkSlot] = scene.Start.Sp;

        var trace = scene.Walk("guess");

        Assert.That(trace.Frames, Has.Count.EqualTo(2));
        Assert.That(trace.Error, Is.EqualTo(UnwindError.StackRevisited));
    }

    [Test]
    public void Guess_fails_with_UnreadableMemory_at_an_unmapped_stack_word()
    {
        var memory = new FakeMemory();
        ulong sp = TestStacks.Task.High - 0x40;
        memory.Zero(sp, sp + 0x18);
        memory[sp + 0x18] = HandlerRet;
        var start = UnwindStart.FromRegisters(LeafRunning, sp, 0, memory, TestStacks.All);

        var trace = UnwindTrace.Collect(Unwinder("guess"), start);

        // Every word up to the unmapped one is scanned (the text address among them is found); the scan stops there.
        Assert.That(trace.Frames, Is.EqualTo((UnwindFrame[])[Current(LeafRunning), Guess(HandlerRet, sp + 0x18)]));
        Assert.That(trace.Error, Is.EqualTo(UnwindError.UnreadableMemory));
    }
}
