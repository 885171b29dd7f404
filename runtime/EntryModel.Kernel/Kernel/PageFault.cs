namespace EntryModel.Kernel;

public static partial class DefaultKernel
{
    /// <summary>
    /// do_async_page_fault(regs, error_code): takes and clears the async-PF reason; an ordinary fault
    /// (reason 0) goes to trace_do_page_fault (returns at +0x2c).
    /// </summary>
    [GasCode("do_async_page_fault", Address = 0xffffffff8106d810, Size = 0xa0)]
    public const string DoAsyncPageFault = """
            FRAME_BEGIN
            .skip 0x15, 0x90
            xorl %eax, %eax
            xchgl %eax, %gs:PCPU_APF_REASON
            testl %eax, %eax
            jnz 1f
            call trace_do_page_fault
        1:
            FRAME_END
            ret
        """;

    /// <summary>trace_do_page_fault(regs, error_code): reads the fault address from CR2 and calls __do_page_fault (returns at +0x5c).</summary>
    [GasCode("trace_do_page_fault", Address = 0xffffffff81073640, Size = 0x2e0)]
    public const string TraceDoPageFault = """
            FRAME_BEGIN
            .skip 0x50, 0x90
            movq %cr2, %rdx
            call __do_page_fault
            FRAME_END
            ret
        """;

    /// <summary>
    /// __do_page_fault(regs, error_code, address): a not-present fault on a user address gets a
    /// fresh zeroed user page (MAP_PAGE hypercall), then dump_stack() runs (returns at +0x576).
    /// Interrupts come back on first when the faulting context had them on (the gate turned them
    /// off until CR2 was read).
    /// Anything else is a fault the model cannot handle: it powers off with exit code 0x0e.
    /// </summary>
    [GasCode("__do_page_fault", Address = 0xffffffff81073020, Size = 0x5a0)]
    public const string DoPageFault = """
            FRAME_BEGIN
            pushq %rbx
            pushq %r12
            testl $X86_EFLAGS_IF, EFLAGS(%rdi)
            jz 2f
            sti
        2:
            .skip 0x52e, 0x90
            movq %rdx, %rbx
            movq %rsi, %r12
            testl $PF_PROT, %r12d
            jnz 1f
            movq %rbx, %rax
            shrq $47, %rax
            jnz 1f
            movq %rbx, %rdi
            andq $-PAGE_SIZE, %rdi
            movl $MAP_WRITABLE|MAP_USER, %esi
            movl $HC_MAP_PAGE, %eax
            vmcall
            call dump_stack
            popq %r12
            popq %rbx
            FRAME_END
            ret
        1:
            movl $0x0e, %edi
            movl $HC_POWER_OFF, %eax
            vmcall
            ud2
        """;

    /// <summary>dump_stack(): prints the current task's stack via show_stack (returns at +0x85).</summary>
    [GasCode("dump_stack", Address = 0xffffffff8143c1be, Size = 0xc2)]
    public const string DumpStack = """
            FRAME_BEGIN
            .skip 0x78, 0x90
            xorl %esi, %esi
            xorl %edi, %edi
            call show_stack
            FRAME_END
            ret
        """;

    /// <summary>
    /// show_stack(task, sp): asks the host to print the current task's trace (DUMP_STACK hypercall)
    /// from here, with %rsp and %rbp of this frame, as the 2016 show_stack started from its own frame.
    /// </summary>
    [GasCode("show_stack", Address = 0xffffffff8143c100)]
    public const string ShowStack = """
            FRAME_BEGIN
            movl $HC_DUMP_STACK, %eax
            vmcall
            FRAME_END
            ret
        """;
}
