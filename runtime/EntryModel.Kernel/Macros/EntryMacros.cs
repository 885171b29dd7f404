namespace EntryModel.Kernel;

public static partial class DefaultKernel
{
    /// <summary>
    /// Saving and restoring pt_regs, and the one macro every exception and interrupt stub is built
    /// from. A stub: an orig_ax slot when the CPU pushed no error code, room for the general
    /// registers, <c>error_entry</c> to fill it (and swapgs when coming from user mode), the handler
    /// called with (regs, error_code), then the common exit. Each stub ends aligned to 16 bytes, so
    /// it is 0x30 long without the pt_regs frame and 0x40 with it.
    /// </summary>
    [GasMacros]
    public const string EntryMacros = """
        # Pushes the general registers in pt_regs order (the hardware frame and orig_ax are already there).
        .macro PUSH_REGS rax=%rax
            pushq %rdi
            pushq %rsi
            pushq %rdx
            pushq %rcx
            pushq \rax
            pushq %r8
            pushq %r9
            pushq %r10
            pushq %r11
            pushq %rbx
            pushq %rbp
            pushq %r12
            pushq %r13
            pushq %r14
            pushq %r15
        .endm

        .macro POP_REGS
            popq %r15
            popq %r14
            popq %r13
            popq %r12
            popq %rbp
            popq %rbx
            popq %r11
            popq %r10
            popq %r9
            popq %r8
            popq %rax
            popq %rcx
            popq %rdx
            popq %rsi
            popq %rdi
        .endm

        # ASM_CLAC as patched on a CPU without SMAP: a three-byte nop.
        .macro ASM_CLAC
            nopl (%rax)
        .endm

        .macro idtentry do_sym, has_error_code=0, orig=-1, exit=error_exit
            UNWIND_HINT_IRET_REGS offset=\has_error_code*8
        .if \has_error_code == 0
            pushq $\orig
        .endif
            ASM_CLAC
            cld
            subq $15*8, %rsp
            call error_entry
            call trace_hardirqs_off_thunk
            ENTRY_REGS_RECORD
            UNWIND_HINT_REGS
            movq %rsp, %rdi
            movq ORIG_RAX(%rsp), %rsi
            movq $-1, ORIG_RAX(%rsp)
            CALL_HANDLER \do_sym
            jmp \exit
            .p2align 4, 0xcc
        .endm

        # A device interrupt vector: orig_ax holds ~vector+0x80 so it fits a signed byte.
        .macro irq_vector_stub vector
            idtentry do_IRQ, has_error_code=0, orig=(~\vector+0x80)
        .endm
        """;
}
