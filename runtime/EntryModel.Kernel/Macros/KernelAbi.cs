namespace EntryModel.Kernel;

public static partial class DefaultKernel
{
    /// <summary>
    /// Constants the model's code and the scenarios that boot it agree on: selectors, hypercall and
    /// syscall numbers, and the layouts of the per-CPU area (which starts with the 64-bit TSS, so
    /// one base serves as both GS base and TR base), of a task, and of the file objects read() uses.
    /// </summary>
    [GasMacros]
    public const string KernelAbi = """
        .set KERNEL_CS, 0x10
        .set KERNEL_DS, 0x18
        .set USER_CS, 0x33
        .set USER_DS, 0x2b

        .set PAGE_SHIFT, 12
        .set PAGE_SIZE, 4096
        .set THREAD_SIZE, 0x4000
        .set X86_EFLAGS_IF, 0x200
        .set MSR_GS_BASE, 0xc0000101

        # hypercalls: vmcall at CPL 0, number in %rax, arguments in %rdi/%rsi/%rdx
        .set HC_MAP_PAGE, 1
        .set HC_DUMP_STACK, 2
        .set HC_POWER_OFF, 3
        .set HC_LOG, 4
        .set MAP_WRITABLE, 1
        .set MAP_EXECUTABLE, 2
        .set MAP_USER, 4

        # syscalls (the x86-64 numbers) and errors
        .set __NR_read, 0
        .set __NR_exit, 60
        .set __NR_syscall_max, 60
        .set __SYSCALL_MASK, 0xbfffffff
        .set EBADF, 9
        .set EFAULT, 14
        .set ENOSYS, 38

        # page fault error code bits
        .set PF_PROT, 1
        .set PF_WRITE, 2
        .set PF_USER, 4

        # per-CPU area: the TSS first, then the kernel's per-CPU variables
        .set TSS_RSP0, 0x04
        .set TSS_IST1, 0x24
        .set TSS_IST2, 0x2c
        .set PCPU_CURRENT_TASK, 0x80
        .set PCPU_TOP_OF_STACK, 0x88
        .set PCPU_RSP_SCRATCH, 0x90
        .set PCPU_IRQ_STACK_PTR, 0x98
        .set PCPU_IRQ_COUNT, 0xa0
        .set PCPU_PREEMPT_COUNT, 0xa8
        .set PCPU_HARDIRQS_ENABLED, 0xb0
        .set PCPU_APF_REASON, 0xb8
        .set PCPU_SIZE, 0xc0

        # struct task_struct (the parts the model uses)
        .set TASK_SP, 0x00
        .set TASK_STACK_TOP, 0x08
        .set TASK_FLAGS, 0x10
        .set TASK_TI_FLAGS, 0x18
        .set TASK_NEED_RESCHED, 0x20
        .set TASK_NEXT, 0x28
        .set TASK_PID, 0x30
        .set TASK_SIZE, 0x40
        .set PF_PREEMPT_IRQ, 0x1
        .set _TIF_WORK_SYSCALL_ENTRY, 0xff
        .set _TIF_ALLWORK_MASK, 0xff00

        # __switch_to_asm's frame on a sleeping task's stack: six callee-saved registers, then the return address
        .set SWITCH_FRAME_R15, 0*8
        .set SWITCH_FRAME_RBP, 5*8
        .set SWITCH_FRAME_RET, 6*8
        .set SWITCH_FRAME_SIZE, 7*8

        # struct file, file_operations, address_space, page, iovec, iov_iter, kiocb
        .set FILE_F_OP, 0x00
        .set FILE_MODE, 0x08
        .set FILE_POS, 0x10
        .set FILE_MAPPING, 0x18
        .set FMODE_READ, 0x1
        .set FOPS_READ_ITER, 0x20
        .set MAPPING_NRPAGES, 0x00
        .set MAPPING_PAGES, 0x08
        .set PAGE_VIRTUAL, 0x00
        .set IOV_BASE, 0x00
        .set IOV_LEN, 0x08
        .set ITER_TYPE, 0x00
        .set ITER_OFFSET, 0x08
        .set ITER_COUNT, 0x10
        .set ITER_IOV, 0x18
        .set ITER_IOVEC, 4
        .set KIOCB_FILE, 0x00
        .set KIOCB_POS, 0x08
        .set NR_OPEN_DEFAULT, 8

        # the user program's buffer: a page nobody has mapped yet
        .set USER_BUFFER, 0x601000

        # what the file holds and what the user program expects to read: "EntryModel read!"
        .set FILE_WORD0, 0x646f4d7972746e45
        .set FILE_WORD1, 0x2164616572206c65
        .set FILE_BYTES, 16
        """;
}
