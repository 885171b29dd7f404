namespace EntryModel.Kernel;

public static partial class DefaultKernel
{
    /// <summary>
    /// Device interrupt stubs, one per vector 0x20..0x5b, built by the same macro as the exception
    /// stubs. They stand where the 2016 kernel's sixty-odd idtentry/apicinterrupt stubs stood in
    /// front of async_page_fault: each grows by 16 bytes with the pt_regs frame, which is what moves
    /// async_page_fault from ffffffff81887030 to ffffffff818873f0 in the seed's two traces.
    /// </summary>
    [GasCode("irq_entries_start", Kind = SymbolKind.Entry, Section = ".entry.idt")]
    public const string IrqEntriesStart = """
            irq_vector_stub 0x20
            irq_vector_stub 0x21
            irq_vector_stub 0x22
            irq_vector_stub 0x23
            irq_vector_stub 0x24
            irq_vector_stub 0x25
            irq_vector_stub 0x26
            irq_vector_stub 0x27
            irq_vector_stub 0x28
            irq_vector_stub 0x29
            irq_vector_stub 0x2a
            irq_vector_stub 0x2b
            irq_vector_stub 0x2c
            irq_vector_stub 0x2d
            irq_vector_stub 0x2e
            irq_vector_stub 0x2f
            irq_vector_stub 0x30
            irq_vector_stub 0x31
            irq_vector_stub 0x32
            irq_vector_stub 0x33
            irq_vector_stub 0x34
            irq_vector_stub 0x35
            irq_vector_stub 0x36
            irq_vector_stub 0x37
            irq_vector_stub 0x38
            irq_vector_stub 0x39
            irq_vector_stub 0x3a
            irq_vector_stub 0x3b
            irq_vector_stub 0x3c
            irq_vector_stub 0x3d
            irq_vector_stub 0x3e
            irq_vector_stub 0x3f
            irq_vector_stub 0x40
            irq_vector_stub 0x41
            irq_vector_stub 0x42
            irq_vector_stub 0x43
            irq_vector_stub 0x44
            irq_vector_stub 0x45
            irq_vector_stub 0x46
            irq_vector_stub 0x47
            irq_vector_stub 0x48
            irq_vector_stub 0x49
            irq_vector_stub 0x4a
            irq_vector_stub 0x4b
            irq_vector_stub 0x4c
            irq_vector_stub 0x4d
            irq_vector_stub 0x4e
            irq_vector_stub 0x4f
            irq_vector_stub 0x50
            irq_vector_stub 0x51
            irq_vector_stub 0x52
            irq_vector_stub 0x53
            irq_vector_stub 0x54
            irq_vector_stub 0x55
            irq_vector_stub 0x56
            irq_vector_stub 0x57
            irq_vector_stub 0x58
            irq_vector_stub 0x59
            irq_vector_stub 0x5a
            irq_vector_stub 0x5b
        """;

    /// <summary>
    /// The page fault stub (the seed's name: the KVM async-PF variant the seed kernel used). Placed
    /// right after the device stubs; its handler call returns at +0x28, or +0x32 with the frame.
    /// </summary>
    /// An interrupt gate, as Linux sets it: no interrupt may arrive before CR2 is read; the handler
    /// turns interrupts back on when the faulting context had them on.
    [IdtEntry("async_page_fault", 14, ErrorCode = true, Handler = "do_async_page_fault", Interrupt = true, Section = ".entry.idt")]
    public const string AsyncPageFault = """
            idtentry \handler, has_error_code=\error_code
        """;

    /// <summary>
    /// Breakpoint: reachable from user mode (DPL 3), through an interrupt gate, on the debug IST
    /// stack (IST 3) as in 2016. From user mode its frame moves to the task stack before the handler
    /// runs (paranoid=1); the 2016 kernel's shift_ist, which lets #DB nest inside int3 on the same
    /// IST stack, is not modelled (the model has no #DB stub).
    /// </summary>
    [IdtEntry("int3", 3, Handler = "do_int3", Dpl = 3, Ist = 3, Interrupt = true, Address = 0xffffffff81885780)]
    public const string Int3 = """
            idtentry \handler, has_error_code=\error_code, entry=paranoid_entry, exit=paranoid_exit, paranoid=1
        """;

    /// <summary>
    /// NMI on its own IST stack (IST 2, as in 2016), through an interrupt gate: it can arrive
    /// anywhere, even between syscall and swapgs, so it enters through paranoid_entry; it returns
    /// through paranoid_exit and never preempts. (Linux's nested-NMI frame juggling is not
    /// modelled: the machine blocks NMIs until the IRETQ, and the handler never faults.)
    /// </summary>
    [IdtEntry("nmi", 2, Handler = "do_nmi", Ist = 2, Interrupt = true, Address = 0xffffffff81885540)]
    public const string Nmi = """
            idtentry \handler, has_error_code=\error_code, entry=paranoid_entry, exit=paranoid_exit
        """;

    /// <summary>
    /// Double fault on its own IST stack (IST 1, as in 2016), so a fault while delivering onto a
    /// broken stack still lands somewhere sane; paranoid like the NMI, since it can come from anywhere.
    /// </summary>
    [IdtEntry("double_fault", 8, ErrorCode = true, Handler = "do_double_fault", Ist = 1, Interrupt = true, Address = 0xffffffff81885680)]
    public const string DoubleFault = """
            idtentry \handler, has_error_code=\error_code, entry=paranoid_entry, exit=paranoid_exit
        """;

    /// <summary>
    /// The local APIC timer. Runs its handler on the per-CPU IRQ stack (unless already on it),
    /// leaving the interrupted stack pointer on top of the IRQ stack, then returns through
    /// error_exit, where a kernel-mode return may preempt the interrupted task.
    /// </summary>
    [IdtEntry("apic_timer_interrupt", 0xef, Handler = "smp_apic_timer_interrupt", Interrupt = true, Address = 0xffffffff81885580)]
    public const string ApicTimerInterrupt = """
            apicinterrupt \vector, \handler
        """;

    /// <summary>
    /// The watchdog's timer interrupt, as the soft-lockup detector's hrtimer fires from the local
    /// APIC: its handler dumps the stack of whatever it interrupted. The sweep injects it at every
    /// instruction to see what each unwinder makes of the interrupted context.
    /// </summary>
    [IdtEntry("apic_watchdog_interrupt", 0xee, Handler = "smp_watchdog_interrupt", Interrupt = true, Address = 0xffffffff81885700)]
    public const string ApicWatchdogInterrupt = """
            apicinterrupt \vector, \handler
        """;

}
