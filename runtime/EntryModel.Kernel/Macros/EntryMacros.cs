namespace EntryModel.Kernel;

public static partial class DefaultKernel
{
    /// <summary>
    /// Saving and restoring pt_regs, and the one macro every exception and interrupt stub is built
    /// from. A stub: an orig_ax slot when the CPU pushed no error code, room for the general
    /// registers, <c>error_entry</c> to fill it (and swapgs when coming from user mode), the handler
    /// called with (regs, error_code), then the common exit. Stubs that can interrupt anything (NMI,
    /// #DF) enter through <c>paranoid_entry</c> and leave through <c>paranoid_exit</c> instead. Each stub ends aligned to 16 bytes, so
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

        # Stores the general registers into the pt_regs slots at \offset(%rsp): error_entry and
        # paranoid_entry run with their return address below pt_regs, hence offset 8.
        .macro SAVE_REGS offset=8
            movq %rdi, RDI+\offset(%rsp)
            movq %rsi, RSI+\offset(%rsp)
            movq %rdx, RDX+\offset(%rsp)
            movq %rcx, RCX+\offset(%rsp)
            movq %rax, RAX+\offset(%rsp)
            movq %r8, R8+\offset(%rsp)
            movq %r9, R9+\offset(%rsp)
            movq %r10, R10+\offset(%rsp)
            movq %r11, R11+\offset(%rsp)
            movq %rbx, RBX+\offset(%rsp)
            movq %rbp, RBP+\offset(%rsp)
            movq %r12, R12+\offset(%rsp)
            movq %r13, R13+\offset(%rsp)
            movq %r14, R14+\offset(%rsp)
            movq %r15, R15+\offset(%rsp)
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

        # With pt_regs filled and the kernel GS loaded: the handler called with (regs, orig_ax), orig_ax reset.
        .macro idtentry_call do_sym
            call trace_hardirqs_off_thunk
            ENTRY_REGS_RECORD
            UNWIND_HINT_REGS
            movq %rsp, %rdi
            movq ORIG_RAX(%rsp), %rsi
            movq $-1, ORIG_RAX(%rsp)
            CALL_HANDLER \do_sym
        .endm

        # paranoid=1: an IST stub that can interrupt anything. From kernel mode it stays on its IST
        # stack (paranoid entry and exit); from user mode it moves pt_regs to the task stack
        # (sync_regs) and goes the ordinary way, so the handler runs in process context.
        .macro idtentry do_sym, has_error_code=0, orig=-1, entry=error_entry, exit=error_exit, paranoid=0
            UNWIND_HINT_IRET_REGS offset=\has_error_code*8
        .if \has_error_code == 0
            pushq $\orig
        .endif
            ASM_CLAC
            cld
        .if \paranoid == 1
            testb $3, CS-ORIG_RAX(%rsp)
            jnz 2f
        .endif
            subq $15*8, %rsp
            call \entry
            idtentry_call \do_sym
            jmp \exit
        .if \paranoid == 1
        2:
            UNWIND_HINT_IRET_REGS offset=8
            subq $15*8, %rsp
            call error_entry
            movq %rsp, %rdi
            call sync_regs
            movq %rax, %rsp
            idtentry_call \do_sym
            jmp error_exit
        .endif
            .p2align 4, 0xcc
        .endm

        # A local APIC interrupt: the handler runs on the per-CPU IRQ stack (unless already on it),
        # with the interrupted stack pointer left on top of the IRQ stack for unwinders; the exit
        # may preempt the interrupted task.
        .macro apicinterrupt vector, do_sym
            UNWIND_HINT_IRET_REGS
            pushq $~\vector
            ASM_CLAC
            cld
            subq $15*8, %rsp
            call error_entry
            UNWIND_HINT_REGS
            movq %rsp, %rdi
            incq %gs:PCPU_IRQ_COUNT
            jnz 1f
            movq %gs:PCPU_IRQ_STACK_PTR, %rsp
        1:
            pushq %rdi
            UNWIND_HINT_REGS indirect=1
            CALL_HANDLER \do_sym, %rdi
            decq %gs:PCPU_IRQ_COUNT
            popq %rsp
            UNWIND_HINT_REGS
            jmp error_exit
        .endm

        # A device interrupt vector: orig_ax holds ~vector+0x80 so it fits a signed byte.
        .macro irq_vector_stub vector
            idtentry do_IRQ, has_error_code=0, orig=(~\vector+0x80)
        .endm
        """;
}
