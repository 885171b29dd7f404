namespace EntryModel.Kernel;

public static partial class DefaultKernel
{
    /// <summary>
    /// The user program: _start calls main with %rbp = 0 (the outermost frame), main reads
    /// FILE_BYTES bytes from fd 0 into a buffer whose page is not present yet, checks them against
    /// the bytes it expects, and exit()s with 0 when they match, 1 otherwise.
    /// </summary>
    [GasCode("_start", Section = ".user.text", Address = 0x400000)]
    public const string UserStart = """
            xorl %ebp, %ebp
            call main
            movl %eax, %edi
            movl $__NR_exit, %eax
            syscall
            ud2
        """;

    [GasCode("main", Section = ".user.text", Address = 0x400040)]
    public const string UserMain = """
            pushq %rbp
            movq %rsp, %rbp
            xorl %edi, %edi
            movl $USER_BUFFER, %esi
            movl $FILE_BYTES, %edx
            movl $__NR_read, %eax
            syscall
            cmpq $FILE_BYTES, %rax
            jne 2f
            xorl %ecx, %ecx
        1:
            movzbl USER_BUFFER(%rcx), %eax
            cmpb expected_bytes(%rcx), %al
            jne 2f
            incq %rcx
            cmpq $FILE_BYTES, %rcx
            jb 1b
            xorl %eax, %eax
            popq %rbp
            ret
        2:
            movl $1, %eax
            popq %rbp
            ret
        """;

    /// <summary>What the user program expects read() to return.</summary>
    [GasCode("expected_bytes", Kind = SymbolKind.Data, Section = ".user.data", Address = 0x600000)]
    public const string ExpectedBytes = """
            .quad FILE_WORD0, FILE_WORD1
        """;
}
