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
            SAVE_REGS 8
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

    /// <summary>
    /// The exit of stubs that may interrupt anything (NMI, #DF): no preemption; swapgs only when
    /// paranoid_entry did one (%ebx = 0), since CS cannot tell (an NMI may hit the syscall entry
    /// before its swapgs).
    /// </summary>
    [GasCode("paranoid_exit", Kind = SymbolKind.Entry, Section = ".entry.text", Address = 0xffffffff81885200)]
    public const string ParanoidExit = """
            UNWIND_HINT_REGS
            testl %ebx, %ebx
            jnz 1f
            swapgs
        1:
            POP_REGS
            addq $8, %rsp
            UNWIND_HINT_IRET_REGS
            iretq
        """;

    /// <summary>
    /// Fills pt_regs like error_entry, for stubs that can interrupt anything, including kernel code
    /// that runs with the user GS loaded (the first instructions of the syscall entry, the last of
    /// every exit). CS cannot tell which GS is loaded there, so it reads MSR_GS_BASE: a kernel
    /// (negative) base needs no swapgs. %ebx = 1 tells paranoid_exit that none was done; %ebx is
    /// callee-saved, so it survives the handler.
    /// </summary>
    [GasCode("paranoid_entry", Kind = SymbolKind.Entry, Section = ".entry.text", Address = 0xffffffff81885600)]
    public const string ParanoidEntry = """
            UNWIND_HINT_FUNC
            SAVE_REGS 8
            movl $1, %ebx
            movl $MSR_GS_BASE, %ecx
            rdmsr
            testl %edx, %edx
            js 1f
            swapgs
            xorl %ebx, %ebx
        1:
            ret
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
