using System.Globalization;
using EntryModel.Unwinding.Printing;
using EntryModel.Unwinding.Tests.Support;
using static EntryModel.Unwinding.Tests.Support.SyntheticKernel;

namespace EntryModel.Unwinding.Tests.Printing;

/// <summary>The smart printer: only the unwinder's frames, event boundaries named, registers on request.</summary>
public sealed class SmartStackPrinterTests
{
    [Test]
    public void Smart_printer_names_the_page_fault_boundary_and_prints_the_interrupted_rip_plain()
    {
        var scene = Scenes.PageFault(Marks.FakeFrame);

        var lines = new SmartStackPrinter(Unwind).Print(Unwinder("frame-ptregs"), scene.Start);

        Assert.That(lines, Is.EqualTo(new[]
        {
            "[<ffffffff8100100d>] page_fault_entry+0xd/0x40",
            "page fault, RIP=inner+0xc/0x20",
            "[<ffffffff8100004c>] inner+0xc/0x20",
            "[<ffffffff81000089>] middle+0x9/0x20",
            "[<ffffffff81000109>] handler+0x9/0x20",
            "[<ffffffff8100108d>] syscall_entry+0xd/0x40",
            "system call from user mode, RIP=0x401000",
        }));
    }

    [Test]
    public void Smart_printer_names_an_interrupt_by_its_idt_vector()
    {
        var scene = Scenes.Irq(Marks.RegsPointer);

        var lines = new SmartStackPrinter(Unwind).Print(Unwinder("section"), scene.Start);

        Assert.That(lines.Take(3), Is.EqualTo(new[]
        {
            "[<ffffffff8100104d>] irq_entry+0xd/0x40",
            "apic timer interrupt, RIP=inner+0xc/0x20",
            "[<ffffffff8100004c>] inner+0xc/0x20",
        }));
    }

    [Test]
    public void Smart_printer_prints_the_saved_registers_after_each_boundary_when_asked()
    {
        var scene = Scenes.PageFault(Marks.FakeFrame);
        string bp = scene.InnerBp.ToString("x16", CultureInfo.InvariantCulture);

        var lines = new SmartStackPrinter(Unwind) { ShowRegisters = true }.Print(Unwinder("frame-ptregs"), scene.Start);

        Assert.That(lines, Is.EqualTo(new[]
        {
            "[<ffffffff8100100d>] page_fault_entry+0xd/0x40",
            "page fault, RIP=inner+0xc/0x20",
            " RIP: 0010:inner+0xc/0x20",
            $" RSP: 0018:{bp} EFLAGS: 00000246",
            " RAX: 0000000000000000 RBX: 0000000000000000 RCX: 0000000000000000",
            " RDX: 0000000000000000 RSI: 0000000000000000 RDI: 0000000000000000",
            $" RBP: {bp}  R8: 0000000000000000  R9: 0000000000000000",
            " R10: 0000000000000000 R11: 0000000000000000 R12: 0000000000000000",
            " R13: 0000000000000000 R14: 0000000000000000 R15: 0000000000000000",
            " ORIG_RAX: ffffffffffffffff",
            "[<ffffffff8100004c>] inner+0xc/0x20",
            "[<ffffffff81000089>] middle+0x9/0x20",
            "[<ffffffff81000109>] handler+0x9/0x20",
            "[<ffffffff8100108d>] syscall_entry+0xd/0x40",
            "system call from user mode, RIP=0x401000",
            " RIP: 0033:0x401000",
            " RSP: 002b:000000007ffc0000 EFLAGS: 00000246",
            " RAX: 0000000000000000 RBX: 0000000000000000 RCX: 0000000000000000",
            " RDX: 0000000000000000 RSI: 0000000000000000 RDI: 0000000000000000",
            " RBP: 000000007ffc0100  R8: 0000000000000000  R9: 0000000000000000",
            " R10: 0000000000000000 R11: 0000000000000000 R12: 0000000000000000",
            " R13: 0000000000000000 R14: 0000000000000000 R15: 0000000000000000",
            " ORIG_RAX: ffffffffffffffff",
        }));
    }

    [Test]
    public void Smart_printer_ends_a_failed_walk_with_the_unwinders_error()
    {
        var scene = Scenes.Syscall();
        scene.Memory[scene.MiddleSlot] = UserRip;

        var lines = new SmartStackPrinter(Unwind).Print(Unwinder("frame-encoded"), scene.Start);

        Assert.That(lines, Is.EqualTo(new[]
        {
            "[<ffffffff81000049>] inner+0x9/0x20",
            "(the frame-encoded unwinder stopped: NotKernelText)",
        }));
    }

    [Test]
    public void A_boundary_with_no_entry_return_address_before_it_is_named_exception()
    {
        var scene = Scenes.PageFault(Marks.None);
        var start = UnwindStart.FromPtRegs(scene.KernelRegs, scene.Memory, TestStacks.All);

        var lines = new SmartStackPrinter(Unwind).Print(Unwinder("section"), start);

        Assert.That(lines[0], Is.EqualTo("exception, RIP=inner+0xc/0x20"));
    }

    [Test]
    public void A_return_into_an_entry_stub_that_no_gate_enters_is_named_exception()
    {
        var boundaries = new EventBoundary(Built);

        Assert.That(boundaries.Name(UnrecordedEntryRet), Is.EqualTo("exception"));
        Assert.That(boundaries.Name(PageFaultEntryRet), Is.EqualTo("page fault"));
        Assert.That(boundaries.Name(SyscallEntryRet), Is.EqualTo("system call"));
    }
}
