namespace EntryModel.Kernel;

public static partial class DefaultKernel
{
    /// <summary>
    /// Fills the general-register part of pt_regs for an exception or interrupt stub (called with
    /// the return address just below it) and switches to the kernel GS when the CPU came from user mode.
    /// </summary>
    [GasCode("error_entry", Kind = SymbolKind.Entry, Section = ".entry.text", Address = 0xffffffff81885000)]
    public const string ErrorEntry = """
            UNWIND_HINT_FUNC
            movq %rdi, RDI+8(%rsp)
            movq %rsi, RSI+8(%rsp)
            movq %rdx, RDX+8(%rsp)
            movq %rcx, RCX+8(%rsp)
            movq %rax, RAX+8(%rsp)
            movq %r8, R8+8(%rsp)
            movq %r9, R9+8(%rsp)
            movq %r10, R10+8(%rsp)
            movq %r11, R11+8(%rsp)
            movq %rbx, RBX+8(%rsp)
            movq %rbp, RBP+8(%rsp)
            movq %r12, R12+8(%rsp)
            movq %r13, R13+8(%rsp)
            movq %r14, R14+8(%rsp)
            movq %r15, R15+8(%rsp)
            testb $3, CS+8(%rsp)
            jz 1f
            swapgs
        1:
            ret
        """;

    /// <summary>
    /// The common exit of exceptions and interrupts (rsp at pt_regs). Back to user mode: swapgs and
    /// iretq. Back to kernel mode: preempt when the task should reschedule, nothing holds preemption
    /// off, and the interrupted code had interrupts enabled.
    /// </summary>
    [GasCode("error_exit", Kind = SymbolKind.Entry, Section = ".entry.text", Address = 0xffffffff81885100)]
    public const string ErrorExit = """
            UNWIND_HINT_REGS
            testb $3, CS(%rsp)
            jnz retint_user
        retint_kernel:
            cmpq $0, %gs:PCPU_PREEMPT_COUNT
            jnz restore_regs_and_iret
            testl $X86_EFLAGS_IF, EFLAGS(%rsp)
            jz restore_regs_and_iret
            movq %gs:PCPU_CURRENT_TASK, %rax
            cmpq $0, TASK_NEED_RESCHED(%rax)
            jz restore_regs_and_iret
            CALL_HANDLER preempt_schedule_irq
            jmp restore_regs_and_iret
        retint_user:
            swapgs
        restore_regs_and_iret:
            POP_REGS
            addq $8, %rsp
            UNWIND_HINT_IRET_REGS
            iretq
        """;

    /// <summary>The exit of stubs that may interrupt anything (NMI): no preemption, swapgs only back to user mode.</summary>
    [GasCode("paranoid_exit", Kind = SymbolKind.Entry, Section = ".entry.text", Address = 0xffffffff81885200)]
    public const string ParanoidExit = """
            UNWIND_HINT_REGS
            testb $3, CS(%rsp)
            jz 1f
            swapgs
        1:
            POP_REGS
            addq $8, %rsp
            UNWIND_HINT_IRET_REGS
            iretq
        """;

    /// <summary>
    /// Where a new task first runs, reached by __switch_to's return with the previous task in %rax
    /// and %rsp at the new task's pt_regs. A kernel thread's function is in pt_regs->bx and its
    /// argument in pt_regs->bp.
    /// </summary>
    [GasCode("ret_from_fork", Kind = SymbolKind.Entry, Section = ".entry.text", Address = 0xffffffff81885300)]
    public const string RetFromFork = """
            UNWIND_HINT_REGS
            movq %rax, %rdi
            CALL_HANDLER schedule_tail
            testb $3, CS(%rsp)
            jnz 1f
            movq RBX(%rsp), %rbx
            movq RBP(%rsp), %rdi
            CALL_HANDLER *%rbx
            movq %rax, %rdi
            call sys_exit
            ENTRY_REGS_RECORD
        1:
            cli
            jmp error_exit
        """;

    /// <summary>
    /// The task switch: saves the callee-saved registers on the previous task's stack, stores its
    /// stack pointer, takes the next task's, restores its registers and lets __switch_to return
    /// into it (into __schedule for a task that slept, into ret_from_fork for a new one).
    /// Arguments: %rdi = prev, %rsi = next.
    /// </summary>
    [GasCode("__switch_to_asm", Kind = SymbolKind.Entry, Section = ".entry.text", Address = 0xffffffff81885400)]
    public const string SwitchToAsm = """
            UNWIND_HINT_FUNC
            pushq %rbp
            pushq %rbx
            pushq %r12
            pushq %r13
            pushq %r14
            pushq %r15
            movq %rsp, TASK_SP(%rdi)
            movq TASK_SP(%rsi), %rsp
            popq %r15
            popq %r14
            popq %r13
            popq %r12
            popq %rbx
            popq %rbp
            jmp __switch_to
        """;

    /// <summary>
    /// The fake function pt_regs frames "return" into: two nops, so that both pt_regs+1 and the
    /// byte before it fall inside it whichever rule an unwinder uses; never executed.
    /// </summary>
    [GasCode("pt_regs", Kind = SymbolKind.Marker, Section = ".entry.text", Address = 0xffffffff81887860, Size = 0x10)]
    public const string PtRegsMarker = """
        .ifdef CONFIG_PT_REGS_FRAME
            nop
            nop
        .endif
        """;
}
