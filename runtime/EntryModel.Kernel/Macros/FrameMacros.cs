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

        # The section strategy's record of a call from entry code: its return address, and where
        # pt_regs sits from the slot holding it (at slot+offset, or at the address stored there).
        # Data in its own table; no code.
        .macro ENTRY_REGS_RECORD offset=8, indirect=0
        .ifdef CONFIG_ENTRY_SECTION
        772:
            .pushsection .entry_regs
            .quad 772b, \offset, \indirect
            .popsection
        .endif
        .endm

        # Calls a handler with pt_regs at \regs: %rsp, or a register whose value entry code pushed
        # just before (the handler then runs on another stack, the IRQ stack).
        .macro CALL_HANDLER handler, regs=%rsp
            CREATE_PT_REGS_FRAME \regs
            call \handler
        .ifc \regs,%rsp
            ENTRY_REGS_RECORD
        .else
            ENTRY_REGS_RECORD indirect=1
        .endif
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
