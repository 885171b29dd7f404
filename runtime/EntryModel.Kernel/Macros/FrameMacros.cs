namespace EntryModel.Kernel;

public static partial class DefaultKernel
{
    /// <summary>
    /// How code leaves frames, per strategy. Functions open and close a frame-pointer frame only when
    /// the strategy has frame pointers. The pt_regs frame (the seed's patch) is a fake frame whose
    /// return address is <c>pt_regs+1</c>, pushed just before entry code calls a handler; the
    /// encoded-rbp variant instead points %rbp at pt_regs with the low bit set. The unwind hints
    /// mark where pt_regs starts for an ORC-style unwinder; the generator emits no bytes for them.
    /// </summary>
    [GasMacros]
    public const string FrameMacros = """
        .macro FRAME_BEGIN
        .ifdef CONFIG_FRAME_POINTER
            pushq %rbp
            movq %rsp, %rbp
        .endif
        .endm

        .macro FRAME_END
        .ifdef CONFIG_FRAME_POINTER
            popq %rbp
        .endif
        .endm

        # A fake frame "called from" pt_regs: 10 bytes. \regs holds the address of the saved pt_regs.
        .macro CREATE_PT_REGS_FRAME regs=%rsp
        .ifdef CONFIG_PT_REGS_FRAME
            pushq \regs
            pushq $pt_regs+1
            pushq %rbp
            movq %rsp, %rbp
        .endif
        .ifdef CONFIG_ENCODED_RBP
            leaq 1(\regs), %rbp
        .endif
        .endm

        # Drops the fake frame again: 5 bytes.
        .macro REMOVE_PT_REGS_FRAME
        .ifdef CONFIG_PT_REGS_FRAME
            popq %rbp
            addq $16, %rsp
        .endif
        .endm

        .macro CALL_HANDLER handler, regs=%rsp
            CREATE_PT_REGS_FRAME \regs
            call \handler
            REMOVE_PT_REGS_FRAME
        .endm

        # Unwind hints: where the CFA is in entry code. Annotations only; they assemble to nothing.
        .macro UNWIND_HINT_REGS base=%rsp, offset=0
        .endm

        .macro UNWIND_HINT_IRET_REGS base=%rsp, offset=0
        .endm

        .macro UNWIND_HINT_EMPTY
        .endm
        """;
}
