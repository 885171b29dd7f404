namespace EntryModel.Kernel;

public static partial class DefaultKernel
{
    // The read() path of the seed's trace, each function at the seed's address and size with its
    // call at the seed's offset. Bodies do the work a read of one page-cache page needs; the nops
    // in front of each body stand for the code the 2016 functions had there.

    /// <summary>read(fd, buf, count): looks the file up and calls vfs_read (returns at +0x58).</summary>
    [GasCode("SyS_read", Address = 0xffffffff81287870, Size = 0xc0)]
    public const string SysRead = """
            FRAME_BEGIN
            .skip 0x38, 0x90
            cmpq $NR_OPEN_DEFAULT, %rdi
            jae 1f
            movq fd_table(,%rdi,8), %rdi
            testq %rdi, %rdi
            jz 1f
            leaq FILE_POS(%rdi), %rcx
            call vfs_read
            FRAME_END
            ret
        1:
            movq $-EBADF, %rax
            FRAME_END
            ret
        """;

    /// <summary>vfs_read(file, buf, count, pos): checks the mode and the user range, calls __vfs_read (returns at +0x98).</summary>
    [GasCode("vfs_read", Address = 0xffffffff812862e0, Size = 0x140)]
    public const string VfsRead = """
            FRAME_BEGIN
            .skip 0x78, 0x90
            testl $FMODE_READ, FILE_MODE(%rdi)
            jz 1f
            movq %rsi, %rax
            addq %rdx, %rax
            jc 2f
            shrq $47, %rax
            jnz 2f
            call __vfs_read
            FRAME_END
            ret
        1:
            movq $-EBADF, %rax
            FRAME_END
            ret
        2:
            movq $-EFAULT, %rax
            FRAME_END
            ret
        """;

    /// <summary>
    /// __vfs_read(file, buf, count, pos): builds an iovec, an iov_iter and a kiocb on its stack and
    /// calls file->f_op->read_iter (returns at +0xe2), then stores the new position.
    /// </summary>
    [GasCode("__vfs_read", Address = 0xffffffff81285d50, Size = 0x140)]
    public const string VfsReadInner = """
            FRAME_BEGIN
            pushq %rbx
            subq $0x40, %rsp
            .skip 0x94, 0x90
            movq %rcx, %rbx
            movq %rsi, 0x00+IOV_BASE(%rsp)
            movq %rdx, 0x00+IOV_LEN(%rsp)
            movq $ITER_IOVEC, 0x10+ITER_TYPE(%rsp)
            movq $0, 0x10+ITER_OFFSET(%rsp)
            movq %rdx, 0x10+ITER_COUNT(%rsp)
            movq %rsp, 0x10+ITER_IOV(%rsp)
            movq %rdi, 0x30+KIOCB_FILE(%rsp)
            movq (%rcx), %rax
            movq %rax, 0x30+KIOCB_POS(%rsp)
            movq FILE_F_OP(%rdi), %rax
            leaq 0x30(%rsp), %rdi
            leaq 0x10(%rsp), %rsi
            call *FOPS_READ_ITER(%rax)
            movq 0x30+KIOCB_POS(%rsp), %rdx
            movq %rdx, (%rbx)
            addq $0x40, %rsp
            popq %rbx
            FRAME_END
            ret
        """;

    /// <summary>
    /// generic_file_read_iter(iocb, iter): finds the page with pagecache_get_page, then copies from
    /// it with copy_page_to_iter (returns at +0x26b). Both calls are made at the same stack depth,
    /// so the second one's callee finds the first one's leftovers below it.
    /// </summary>
    [GasCode("generic_file_read_iter", Address = 0xffffffff811ed880, Size = 0x770)]
    public const string GenericFileReadIter = """
            FRAME_BEGIN
            pushq %rbx
            pushq %r12
            .skip 0x218, 0x90
            movq %rdi, %rbx
            movq %rsi, %r12
            movq KIOCB_FILE(%rbx), %rax
            movq FILE_MAPPING(%rax), %rdi
            movq KIOCB_POS(%rbx), %rsi
            shrq $PAGE_SHIFT, %rsi
            xorl %edx, %edx
            xorl %ecx, %ecx
            call pagecache_get_page
            testq %rax, %rax
            jz 2f
            movq %rax, %rdi
            movq KIOCB_POS(%rbx), %rsi
            andl $PAGE_SIZE-1, %esi
            movl $PAGE_SIZE, %edx
            subq %rsi, %rdx
            cmpq ITER_COUNT(%r12), %rdx
            jbe 1f
            movq ITER_COUNT(%r12), %rdx
        1:
            movq %r12, %rcx
            call copy_page_to_iter
            addq %rax, KIOCB_POS(%rbx)
            jmp 3f
        2:
            xorl %eax, %eax
        3:
            popq %r12
            popq %rbx
            FRAME_END
            ret
        """;

    /// <summary>
    /// pagecache_get_page(mapping, index, fgp_flags, gfp): reserves locals and calls find_get_entry
    /// (returns at +0x2c). That return address stays in stack memory after it returns.
    /// </summary>
    [GasCode("pagecache_get_page", Address = 0xffffffff811ebe80, Size = 0x290)]
    public const string PagecacheGetPage = """
            FRAME_BEGIN
            subq $0x10, %rsp
            .skip 0x1f, 0x90
            call find_get_entry
            addq $0x10, %rsp
            FRAME_END
            ret
        """;

    /// <summary>find_get_entry(mapping, index): the mapping's page at index, or 0.</summary>
    [GasCode("find_get_entry", Address = 0xffffffff811ebc00)]
    public const string FindGetEntry = """
            FRAME_BEGIN
            xorl %eax, %eax
            cmpq MAPPING_NRPAGES(%rdi), %rsi
            jae 1f
            movq MAPPING_PAGES(%rdi,%rsi,8), %rax
        1:
            FRAME_END
            ret
        """;

    /// <summary>
    /// copy_page_to_iter(page, offset, bytes, iter): reserves locals without writing them (so the
    /// stale pagecache_get_page+0x2c below generic_file_read_iter's frame stays visible) and copies
    /// to the user buffer with rep movsb at +0x70, which faults when the user page is not present.
    /// </summary>
    [GasCode("copy_page_to_iter", Address = 0xffffffff814514f0, Size = 0x440)]
    public const string CopyPageToIter = """
            FRAME_BEGIN
            subq $0x28, %rsp
            .skip 0x4d, 0x90
            movq %rcx, %r9
            movq PAGE_VIRTUAL(%rdi), %r8
            leaq (%r8,%rsi), %rsi
            movq ITER_IOV(%r9), %r10
            movq IOV_BASE(%r10), %rdi
            addq ITER_OFFSET(%r9), %rdi
            movq %rdx, %rcx
            movq %rdx, %rax
            rep movsb
            addq %rax, ITER_OFFSET(%r9)
            subq %rax, ITER_COUNT(%r9)
            addq $0x28, %rsp
            FRAME_END
            ret
        """;
}
