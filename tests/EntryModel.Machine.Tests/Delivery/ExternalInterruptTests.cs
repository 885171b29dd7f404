using EntryModel.Machine.Cpu;
using EntryModel.Machine.Delivery;
using EntryModel.Machine.Execution;
using EntryModel.Machine.Tests.Support;
using static Iced.Intel.AssemblerRegisters;

namespace EntryModel.Machine.Tests.Delivery;

/// <summary>Injected external interrupts: timing, IF, the STI shadow, HLT wake-up, nesting.</summary>
public class ExternalInterruptTests
{
    private const int Timer = 0x20;

    [Test]
    public void Interrupt_after_n_instructions_is_delivered_at_that_boundary()
    {
        var rig = new Rig();
        rig.Cpu.Rflags = RFlags.Reserved1 | RFlags.IF;
        rig.Machine.InjectInterrupt(Timer, afterInstructions: 3);
        var stop = rig.RunKernel(a => { for (int i = 0; i < 10; i++) { a.nop(); } });
        StopAssert.DeliveredTo(stop, Timer);
        Assert.That(rig.Stack(0), Is.EqualTo(Rig.KernelCode + 3), "three nops ran");
        Assert.That(rig.Stack(2) & RFlags.RF, Is.EqualTo(0UL), "an interrupt does not set RF");
        Assert.That(rig.Machine.PendingInterrupts, Is.Empty);
    }

    [Test]
    public void Interrupt_waits_while_IF_is_clear_and_for_the_STI_shadow()
    {
        var rig = new Rig();
        rig.Machine.InjectInterrupt(Timer);
        var stop = rig.RunKernel(a => { a.nop(); a.nop(); a.sti(); a.nop(); a.nop(); });
        StopAssert.DeliveredTo(stop, Timer);
        Assert.That(rig.Stack(0), Is.EqualTo(Rig.KernelCode + 4), "delivered after the nop that follows sti");
    }

    [Test]
    public void Hlt_with_interrupts_enabled_wakes_for_a_scheduled_interrupt()
    {
        var rig = new Rig();
        rig.Cpu.Rflags = RFlags.Reserved1 | RFlags.IF;
        rig.Machine.InjectInterrupt(Timer, afterInstructions: 1000);
        rig.Load(Rig.KernelCode, a => { a.hlt(); a.nop(); });
        rig.Cpu.Rip = Rig.KernelCode;
        var stop = rig.Machine.Run();
        StopAssert.DeliveredTo(stop, Timer);
        Assert.That(rig.Stack(0), Is.EqualTo(Rig.KernelCode + 1), "the interrupt returns after the hlt");
    }

    [Test]
    public void Nested_interrupt_inside_a_handler_that_enables_interrupts()
    {
        var rig = new Rig();
        ulong outer = Rig.KernelCode + 0x400;
        rig.Load(outer, a => { a.push(rbp); a.sti(); a.nop(); a.nop(); a.nop(); a.hlt(); });
        IdtWriter.WriteGate(rig.Machine, rig.Cpu.IdtBase, Timer, outer, interruptGate: true);
        rig.Cpu.Rflags = RFlags.Reserved1 | RFlags.IF;
        rig.Machine.InjectInterrupt(Timer, afterInstructions: 2);
        rig.Machine.InjectInterrupt(0x21, afterInstructions: 3);

        var stop = rig.RunKernel(a => { for (int i = 0; i < 8; i++) { a.nop(); } });

        StopAssert.DeliveredTo(stop, 0x21);
        ulong innerFrame = rig[Gpr.Rsp];
        Assert.That(rig.Stack(0), Is.EqualTo(outer + 1 + 1 + 1), "inner interrupt hit after push, sti and one nop");
        ulong outerFrame = rig.KernelStack.Top - 40;
        Assert.That(innerFrame, Is.EqualTo(((outerFrame - 8) & ~0xFUL) - 40), "nested frame below the outer one, aligned");
        Assert.That(rig.Memory.ReadUInt64(outerFrame), Is.EqualTo(Rig.KernelCode + 2));
    }

    [Test]
    public void Interrupts_are_delivered_highest_vector_first()
    {
        var rig = new Rig();
        rig.Machine.InjectInterrupt(0x30);
        rig.Machine.InjectInterrupt(0x50);
        rig.Cpu.Rflags = RFlags.Reserved1 | RFlags.IF;
        var stop = rig.RunKernel(a => a.nop());
        StopAssert.DeliveredTo(stop, 0x50);
        Assert.That(rig.Machine.PendingInterrupts.Single().Vector, Is.EqualTo(0x30), "0x30 waits: the handler runs with IF=0");
    }

    [Test]
    public void Injecting_an_exception_vector_is_refused()
    {
        var rig = new Rig();
        Assert.Throws<ArgumentOutOfRangeException>(() => rig.Machine.InjectInterrupt(ExceptionVector.PageFault));
    }

    [Test]
    public void Nmi_ignores_IF_uses_its_IST_and_is_blocked_until_iretq()
    {
        var rig = new Rig();
        ulong handler = Rig.KernelCode + 0x400;
        rig.Load(handler, a => { a.mov(rax, __qword_ptr[rsp]); a.iretq(); });
        IdtWriter.WriteGate(rig.Machine, rig.Cpu.IdtBase, ExceptionVector.Nmi, handler, interruptGate: true, ist: 1);
        rig.Machine.InjectNmi(afterInstructions: 2);
        rig.Machine.AddBreakpoint(handler);

        var stop = rig.RunKernel(a => { a.cli(); a.nop(); a.nop(); a.nop(); });

        Assert.That((stop.Kind, stop.Rip), Is.EqualTo((StopKind.Breakpoint, handler)));
        Assert.That(rig[Gpr.Rsp], Is.EqualTo(rig.IstStack.Top - 40));
        Assert.That(rig.Stack(0), Is.EqualTo(Rig.KernelCode + 2));
        rig.Machine.InjectNmi();
        rig.Machine.RemoveBreakpoint(handler);
        rig.Machine.AddBreakpoint(handler + 4);
        stop = rig.Machine.Run();
        Assert.That(stop.Rip, Is.EqualTo(handler + 4), "the second NMI waits while the first handler runs");
        Assert.That(rig.Machine.NmiBlocked, Is.True);
        rig.Machine.RemoveBreakpoint(handler + 4);
        rig.Machine.AddBreakpoint(handler);
        stop = rig.Machine.Run();
        Assert.That((stop.Kind, stop.Rip), Is.EqualTo((StopKind.Breakpoint, handler)), "delivered right after iretq");
        Assert.That(rig.Stack(0), Is.EqualTo(Rig.KernelCode + 2));
    }
}
