namespace EntryModel.Kernel;

public static partial class DefaultKernel
{
    /// <summary>
    /// How code leaves frames, per strategy. Functions open and close a frame-pointer frame only when
    /// the strategy has frame pointers. The pt_regs frame (the seed's patch) is a fake frame whose
    /// return address is <c>pt_regs+1</c>, pushed just before entry code calls a handler; the
    /// encoded-rbp variant instead points %rbp at pt_regs with the low bit set. The unwind hints
    /// mark where pt_regs starts, as records stack validation reads and the image does not load.
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

        # Unwind hints, the kernel's struct unwind_hint: a 12-byte record in .discard.unwind_hints naming
        # the next instruction (a self-relative .long), the CFA there (an ORC register code and an
        # offset), the hint's type and whether the stack ends there. Stack validation reads them; the
        # image does not load them.
        .set ORC_REG_UNDEFINED, 0
        .set ORC_REG_DX, 2
        .set ORC_REG_DI, 3
        .set ORC_REG_BP, 4
        .set ORC_REG_SP, 5
        .set ORC_REG_R10, 6
        .set ORC_REG_SP_INDIRECT, 9
        .set UNWIND_HINT_TYPE_CALL, 0
        .set UNWIND_HINT_TYPE_REGS, 1
        .set UNWIND_HINT_TYPE_REGS_PARTIAL, 2
        .set UNWIND_HINT_TYPE_FUNC, 3

        .macro UNWIND_HINT type, sp_reg=ORC_REG_UNDEFINED, sp_offset=0, end=0
        773:
            .pushsection .discard.unwind_hints
            .long 773b - .
            .short \sp_offset
            .byte \sp_reg
            .byte \type
            .byte \end
            .balign 4
            .popsection
        .endm

        # pt_regs (or with partial=1 only its hardware iret frame) at \base+\offset; with indirect=1
        # the word at %rsp points at it.
        .macro UNWIND_HINT_REGS base=%rsp, offset=0, indirect=0, partial=0
        .ifc \base,%rsp
        .if \indirect
            UNWIND_HINT_REGS_AT ORC_REG_SP_INDIRECT, \offset, \partial
        .else
            UNWIND_HINT_REGS_AT ORC_REG_SP, \offset, \partial
        .endif
        .endif
        .ifc \base,%rbp
            UNWIND_HINT_REGS_AT ORC_REG_BP, \offset, \partial
        .endif
        .ifc \base,%rdi
            UNWIND_HINT_REGS_AT ORC_REG_DI, \offset, \partial
        .endif
        .ifc \base,%rdx
            UNWIND_HINT_REGS_AT ORC_REG_DX, \offset, \partial
        .endif
        .ifc \base,%r10
            UNWIND_HINT_REGS_AT ORC_REG_R10, \offset, \partial
        .endif
        .endm

        .macro UNWIND_HINT_REGS_AT sp_reg, offset, partial
        .if \partial
            UNWIND_HINT UNWIND_HINT_TYPE_REGS_PARTIAL, \sp_reg, \offset
        .else
            UNWIND_HINT UNWIND_HINT_TYPE_REGS, \sp_reg, \offset
        .endif
        .endm

        # Only the hardware's iret frame (RIP, CS, RFLAGS, RSP, SS) at \base+\offset.
        .macro UNWIND_HINT_IRET_REGS base=%rsp, offset=0
            UNWIND_HINT_REGS \base, \offset, partial=1
        .endm

        # Nothing known: entry code before it has a stack of its own, or the end of one.
        .macro UNWIND_HINT_EMPTY
            UNWIND_HINT UNWIND_HINT_TYPE_CALL, ORC_REG_UNDEFINED, 0, 1
        .endm

        # A callable function's entry state (the return address at %rsp), for code reached otherwise.
        .macro UNWIND_HINT_FUNC
            UNWIND_HINT UNWIND_HINT_TYPE_FUNC, ORC_REG_SP, 8
        .endm
        """;
}
