namespace EntryModel.Kernel;

public static partial class DefaultKernel
{
    /// <summary>The syscall table: read (0) and exit (60); every other number is sys_ni_syscall.</summary>
    [GasCode("sys_call_table", Kind = SymbolKind.Data, Section = ".rodata", Address = 0xffffffff81a00000, Align = 8)]
    public const string SysCallTable = """
            .quad SyS_read, sys_ni_syscall, sys_ni_syscall, sys_ni_syscall, sys_ni_syscall, sys_ni_syscall, sys_ni_syscall, sys_ni_syscall
            .quad sys_ni_syscall, sys_ni_syscall, sys_ni_syscall, sys_ni_syscall, sys_ni_syscall, sys_ni_syscall, sys_ni_syscall, sys_ni_syscall
            .quad sys_ni_syscall, sys_ni_syscall, sys_ni_syscall, sys_ni_syscall, sys_ni_syscall, sys_ni_syscall, sys_ni_syscall, sys_ni_syscall
            .quad sys_ni_syscall, sys_ni_syscall, sys_ni_syscall, sys_ni_syscall, sys_ni_syscall, sys_ni_syscall, sys_ni_syscall, sys_ni_syscall
            .quad sys_ni_syscall, sys_ni_syscall, sys_ni_syscall, sys_ni_syscall, sys_ni_syscall, sys_ni_syscall, sys_ni_syscall, sys_ni_syscall
            .quad sys_ni_syscall, sys_ni_syscall, sys_ni_syscall, sys_ni_syscall, sys_ni_syscall, sys_ni_syscall, sys_ni_syscall, sys_ni_syscall
            .quad sys_ni_syscall, sys_ni_syscall, sys_ni_syscall, sys_ni_syscall, sys_ni_syscall, sys_ni_syscall, sys_ni_syscall, sys_ni_syscall
            .quad sys_ni_syscall, sys_ni_syscall, sys_ni_syscall, sys_ni_syscall, sys_exit
        """;

    /// <summary>An unimplemented syscall.</summary>
    [GasCode("sys_ni_syscall", Address = 0xffffffff81288000)]
    public const string SysNiSyscall = """
            movq $-ENOSYS, %rax
            ret
        """;

    /// <summary>exit(code): the model's only process ends, so the machine powers off with its exit code.</summary>
    [GasCode("sys_exit", Address = 0xffffffff81288020)]
    public const string SysExit = """
            FRAME_BEGIN
            movl $HC_POWER_OFF, %eax
            vmcall
            ud2
        """;

    /// <summary>do_syscall_64(regs): the slow path's dispatch, reading the arguments from pt_regs.</summary>
    [GasCode("do_syscall_64", Address = 0xffffffff81288040)]
    public const string DoSyscall64 = """
            FRAME_BEGIN
            pushq %rbx
            movq %rdi, %rbx
            movq ORIG_RAX(%rbx), %rax
            andl $__SYSCALL_MASK, %eax
            cmpq $__NR_syscall_max, %rax
            ja 1f
            movq RDI(%rbx), %rdi
            movq RSI(%rbx), %rsi
            movq RDX(%rbx), %rdx
            movq R10(%rbx), %rcx
            call *sys_call_table(,%rax,8)
            movq %rax, RAX(%rbx)
        1:
            popq %rbx
            FRAME_END
            ret
        """;

    /// <summary>syscall_return_slowpath(regs): handles (here: clears) the work flags that sent the syscall the slow way out.</summary>
    [GasCode("syscall_return_slowpath", Address = 0xffffffff812880a0)]
    public const string SyscallReturnSlowpath = """
            FRAME_BEGIN
            movq %gs:PCPU_CURRENT_TASK, %rax
            andl $~_TIF_ALLWORK_MASK, TASK_TI_FLAGS(%rax)
            FRAME_END
            ret
        """;
}
