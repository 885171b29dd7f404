using EntryModel.Unwinding.Printing;
using EntryModel.Unwinding.Tests.Support;
using static EntryModel.Unwinding.Tests.Support.SyntheticKernel;

namespace EntryModel.Unwinding.Tests.Printing;

/// <summary>The 2016 scan: chain slots plain, every other text word with <c>?</c>.</summary>
public sealed class ClassicStackPrinterTests
{
    private static readonly ClassicStackPrinter Printer = new(Unwind);

    [Test]
    public void Classic_printer_over_frame_prints_the_chain_plain_and_the_skipped_interrupted_rip_with_a_question_mark()
    {
        var scene = Scenes.PageFault(Marks.None);

        var lines = Printer.Print(Unwinder("frame"), scene.Start);

        Assert.That(lines, Is.EqualTo(new[]
        {
            "[<ffffffff8100100d>] page_fault_entry+0xd/0x40",
            "[<ffffffff8100004c>] ? inner+0xc/0x20",
            "[<ffffffff81000089>] middle+0x9/0x20",
            "[<ffffffff81000109>] handler+0x9/0x20",
            "[<ffffffff8100108d>] syscall_entry+0xd/0x40",
        }));
    }

    [Test]
    public void Classic_printer_over_frame_ptregs_prints_the_saved_rip_plain_and_the_fake_frames_marker_with_a_question_mark()
    {
        var scene = Scenes.PageFault(Marks.FakeFrame);

        var lines = Printer.Trace(Unwinder("frame-ptregs"), scene.Start);

        Assert.That(lines.Select(l => (l.Slot, l.OnChain, l.ToString())), Is.EqualTo(new[]
        {
            (scene.EntrySlot, true, "[<ffffffff8100100d>] page_fault_entry+0xd/0x40"),
            (scene.EntrySlot + 16, false, "[<ffffffff81000201>] ? pt_regs+0x1/0x10"),
            (scene.KernelRegs + PtRegsRip, true, "[<ffffffff8100004c>] inner+0xc/0x20"),
            (scene.MiddleSlot, true, "[<ffffffff81000089>] middle+0x9/0x20"),
            (scene.HandlerSlot, true, "[<ffffffff81000109>] handler+0x9/0x20"),
            (scene.SyscallSlot, true, "[<ffffffff8100108d>] syscall_entry+0xd/0x40"),
        }));
    }

    [Test]
    public void Classic_printer_scans_the_irq_stack_and_then_the_task_stack_its_link_leads_to()
    {
        var scene = Scenes.Irq(Marks.None);

        var lines = Printer.Print(Unwinder("frame"), scene.Start);

        Assert.That(lines, Is.EqualTo(new[]
        {
            "[<ffffffff8100104d>] irq_entry+0xd/0x40",
            "[<ffffffff8100004c>] ? inner+0xc/0x20",
            "[<ffffffff81000089>] middle+0x9/0x20",
            "[<ffffffff81000109>] handler+0x9/0x20",
            "[<ffffffff8100108d>] syscall_entry+0xd/0x40",
        }));
    }

    [Test]
    public void Classic_printer_prints_every_text_word_with_a_question_mark_once_the_chain_is_broken()
    {
        var scene = Scenes.PageFault(Marks.None);
        scene.Memory[scene.EntrySlot - 8] = 0; // handler's saved %rbp: the chain ends after the entry return

        var lines = Printer.Print(Unwinder("frame"), scene.Start);

        Assert.That(lines, Is.EqualTo(new[]
        {
            "[<ffffffff8100100d>] page_fault_entry+0xd/0x40",
            "[<ffffffff8100004c>] ? inner+0xc/0x20",
            "[<ffffffff81000089>] ? middle+0x9/0x20",
            "[<ffffffff81000109>] ? handler+0x9/0x20",
            "[<ffffffff8100108d>] ? syscall_entry+0xd/0x40",
        }));
    }
}
