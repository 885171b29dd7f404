namespace EntryModel.Kernel;

public static partial class DefaultKernel
{
    /// <summary>
    /// The 64-bit syscall entry (MSR_LSTAR). It saves a full pt_regs on the task's kernel stack;
    /// the fast path dispatches through sys_call_table and returns with sysretq, the slow path goes
    /// through do_syscall_64 and returns with iretq. <c>entry_SYSCALL_64_fastpath</c> sits at the
    /// seed's address; its dispatch call returns at +0x1f (+0x29 with the pt_regs frame), and its
    /// extent up to <c>entry_SYSCALL64_slow_path</c> is 0xbd (0xdb: the frame adds 10+5+15 bytes).
    /// The fast path's tail is padded with int3 to the 2016 kernel's size.
    /// </summary>
    [SyscallEntry("entry_SYSCALL_64", Address = 0xffffffff81884d45)]
    public const string EntrySyscall64 = """
            UNWIND_HINT_EMPTY
            swapgs
        .globl entry_SYSCALL_64_after_swapgs
        entry_SYSCALL_64_after_swapgs:
            movq %rsp, %gs:PCPU_RSP_SCRATCH
            movq %gs:PCPU_TOP_OF_STACK, %rsp
            # the frame iretq would want, then orig_ax and the general registers
            pushq $USER_DS
            pushq %gs:PCPU_RSP_SCRATCH
            pushq %r11
            pushq $USER_CS
            pushq %rcx
            pushq %rax
            PUSH_REGS
            UNWIND_HINT_REGS
            call trace_hardirqs_off_thunk
            ENTRY_REGS_RECORD
            movq %gs:PCPU_CURRENT_TASK, %r11
            testl $_TIF_WORK_SYSCALL_ENTRY, TASK_TI_FLAGS(%r11)
            jnz entry_SYSCALL64_slow_path

        .globl entry_SYSCALL_64_fastpath
        entry_SYSCALL_64_fastpath:
            movq $-ENOSYS, RAX(%rsp)
            sti
            andl $__SYSCALL_MASK, %eax
            cmpq $__NR_syscall_max, %rax
            ja 1f
            movq %r10, %rcx
            CREATE_PT_REGS_FRAME
            call *sys_call_table(,%rax,8)
            ENTRY_REGS_RECORD
            REMOVE_PT_REGS_FRAME
            movq %rax, RAX(%rsp)
        1:
            # work to do on the way out goes the slow way
            cli
            movq %gs:PCPU_CURRENT_TASK, %r11
            testl $_TIF_ALLWORK_MASK, TASK_TI_FLAGS(%r11)
            jnz 2f
            POP_REGS
            addq $8, %rsp
            UNWIND_HINT_IRET_REGS
            popq %rcx
            addq $8, %rsp
            popq %r11
            popq %rsp
            UNWIND_HINT_EMPTY
            swapgs
            sysretq
        2:
            sti
            movq %rsp, %rdi
            CALL_HANDLER syscall_return_slowpath
            jmp return_from_SYSCALL_64
            .skip 0x51, 0xcc

        .globl entry_SYSCALL64_slow_path
        entry_SYSCALL64_slow_path:
            movq $-ENOSYS, RAX(%rsp)
            sti
            movq %rsp, %rdi
            CALL_HANDLER do_syscall_64
        return_from_SYSCALL_64:
            cli
            POP_REGS
            addq $8, %rsp
            UNWIND_HINT_IRET_REGS
            swapgs
            iretq
        """;
}
