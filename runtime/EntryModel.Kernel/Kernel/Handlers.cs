namespace EntryModel.Kernel;

public static partial class DefaultKernel
{
    /// <summary>Irq-flags tracing as a debug kernel does on entry: records that interrupts are off.</summary>
    [GasCode("trace_hardirqs_off_thunk", Address = 0xffffffff81289000)]
    public const string TraceHardirqsOffThunk = """
            movq $0, %gs:PCPU_HARDIRQS_ENABLED
            ret
        """;

    /// <summary>do_int3(regs, error_code): reports the breakpoint to the host.</summary>
    [GasCode("do_int3", Address = 0xffffffff81289020)]
    public const string DoInt3 = """
            FRAME_BEGIN
            movl $3, %edi
            movl $HC_LOG, %eax
            vmcall
            FRAME_END
            ret
        """;

    /// <summary>
    /// do_nmi(regs, error_code): an NMI backtrace, as nmi_cpu_backtrace prints one when another CPU
    /// asks for it: dumps the stack of whatever the NMI interrupted, from the NMI's own IST stack.
    /// </summary>
    [GasCode("do_nmi", Address = 0xffffffff81289040)]
    public const string DoNmi = """
            FRAME_BEGIN
            call dump_stack
            FRAME_END
            ret
        """;

    /// <summary>
    /// do_double_fault(regs, error_code): the kernel dies here; the model dumps the stack and powers
    /// off with exit code 8. Written as a function that returns (power-off never does), as the
    /// stub's object sees the C handler: objtool does not know it as noreturn.
    /// </summary>
    [GasCode("do_double_fault", Address = 0xffffffff81289080)]
    public const string DoDoubleFault = """
            FRAME_BEGIN
            call dump_stack
            movl $8, %edi
            movl $HC_POWER_OFF, %eax
            vmcall
            FRAME_END
            ret
        """;

    /// <summary>
    /// sync_regs(eregs): moves the pt_regs an IST stub saved to the top of the current task's stack
    /// (where a user-mode entry leaves them) and returns the new address, for the stub to switch to.
    /// </summary>
    [GasCode("sync_regs", Address = 0xffffffff812890c0)]
    public const string SyncRegs = """
            movq %gs:PCPU_TOP_OF_STACK, %rax
            subq $SIZEOF_PTREGS, %rax
            cmpq %rax, %rdi
            je 1f
            movq %rdi, %rsi
            movq %rax, %rdi
            movl $SIZEOF_PTREGS/8, %ecx
            rep movsq
        1:
            ret
        """;

    /// <summary>smp_watchdog_interrupt(regs): the watchdog's report of what the CPU is doing: a backtrace of the interrupted context.</summary>
    [GasCode("smp_watchdog_interrupt", Address = 0xffffffff810500a0)]
    public const string SmpWatchdogInterrupt = """
            FRAME_BEGIN
            call dump_stack
            FRAME_END
            ret
        """;

    /// <summary>do_IRQ(regs, orig_ax): reports which device vector fired (orig_ax is ~vector+0x80).</summary>
    [GasCode("do_IRQ", Address = 0xffffffff81289060)]
    public const string DoIrq = """
            FRAME_BEGIN
            leaq -0x80(%rsi), %rdi
            notq %rdi
            movl $HC_LOG, %eax
            vmcall
            FRAME_END
            ret
        """;
}
