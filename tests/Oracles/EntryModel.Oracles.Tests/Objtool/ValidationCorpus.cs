namespace EntryModel.Oracles.Tests.Objtool;

/// <summary>One source of the validation corpus: GAS text with one or more functions and entry regions.</summary>
public sealed record ValidationCase(string Name, string Source)
{
    public override string ToString() => Name;
}

/// <summary>
/// Hand-written cases for stack validation, each checked by objtool: well-formed functions of every
/// shape (frames, pushes, locals, leave, tail calls, noreturn calls, DRAP realignment, the stack
/// swizzle of an IRQ-stack call), one or more broken functions per rule, and hinted entry code
/// (an iret frame, partial pt_regs, full pt_regs, the syscall entry before and after its stack
/// switch, a stack switch to the IRQ stack, save/restore). Every case defines what it calls.
/// </summary>
public static class ValidationCorpus
{
    /// <summary>The hint record as the kernel lays it out (struct unwind_hint): type, ORC register of the CFA, offset, end.</summary>
    public const string HintMacro = """
        .macro HINT type, sp_reg, sp_offset=0, end=0
        .Lhint_\@:
            .pushsection .discard.unwind_hints
            .long .Lhint_\@ - .
            .short \sp_offset
            .byte \sp_reg
            .byte \type
            .byte \end
            .balign 4
            .popsection
        .endm

        """;

    /// <summary><see cref="HintMacro"/>, hint shorthands in ORC register codes, and the helper every case calls.</summary>
    private const string Prelude = HintMacro + """
        .macro HINT_EMPTY
            HINT 0, 0, 0, 1
        .endm
        .macro HINT_REGS offset=0
            HINT 1, 5, \offset
        .endm
        .macro HINT_IRET offset=0
            HINT 2, 5, \offset
        .endm
        .macro HINT_FUNC
            HINT 3, 5, 8
        .endm
        .macro HINT_SAVE
            HINT 5, 0
        .endm
        .macro HINT_RESTORE
            HINT 6, 0
        .endm
            .text
            .globl helper
            .type helper, @function
        helper:
            ret
            .size helper, .-helper

        """;

    public static IEnumerable<ValidationCase> All => Good.Concat(Broken).Concat(Hinted);

    /// <summary>Functions objtool accepts.</summary>
    public static IEnumerable<ValidationCase> Good =>
    [
        Case("leaf", Func("leaf", "movq %rdi, %rax\n addq %rsi, %rax\n ret")),
        Case("framed call", Func("framed", "pushq %rbp\n movq %rsp, %rbp\n call helper\n popq %rbp\n ret")),
        Case("frame with callee-saved and locals", Func("locals", "pushq %rbp\n movq %rsp, %rbp\n pushq %rbx\n pushq %r12\n subq $0x28, %rsp\n movq %rdi, 8(%rsp)\n call helper\n addq $0x28, %rsp\n popq %r12\n popq %rbx\n popq %rbp\n ret")),
        Case("leave epilogue", Func("leaving", "pushq %rbp\n movq %rsp, %rbp\n subq $0x40, %rsp\n call helper\n leave\n ret")),
        Case("two returns", Func("tworets", "pushq %rbp\n movq %rsp, %rbp\n testq %rdi, %rdi\n jz 1f\n call helper\n popq %rbp\n ret\n1:\n movq $-1, %rax\n popq %rbp\n ret")),
        Case("balanced branches", Func("balanced", "pushq %rbp\n movq %rsp, %rbp\n pushq %rbx\n cmpq $3, %rdi\n jae 1f\n movq %rdi, %rbx\n jmp 2f\n1:\n xorl %ebx, %ebx\n2:\n call helper\n popq %rbx\n popq %rbp\n ret")),
        Case("loop", Func("looping", "xorl %eax, %eax\n1:\n addq %rdi, %rax\n decq %rsi\n jnz 1b\n ret")),
        Case("tail call", Func("tail", "movq %rsi, %rdi\n jmp helper")),
        Case("tail call after frame", Func("tailframe", "pushq %rbp\n movq %rsp, %rbp\n call helper\n popq %rbp\n jmp helper")),
        Case("noreturn call", Func("dies", "pushq %rbp\n movq %rsp, %rbp\n call panic\n") + Func("panic", "pushq %rbp\n movq %rsp, %rbp\n1:\n hlt\n jmp 1b")),
        Case("ud2 after noreturn", Func("bugs", "testq %rdi, %rdi\n jnz 1f\n ret\n1:\n ud2")),
        Case("indirect call in frame", Func("indirect", "pushq %rbp\n movq %rsp, %rbp\n call *%rax\n popq %rbp\n ret")),
        Case("register saved by mov", Func("movsave", "subq $0x18, %rsp\n movq %rbx, 8(%rsp)\n movq %rdi, %rbx\n movq 8(%rsp), %rbx\n addq $0x18, %rsp\n ret")),
        Case("lea restores rsp", Func("learestore", "pushq %rbp\n movq %rsp, %rbp\n pushq %rbx\n subq $0x20, %rsp\n call helper\n leaq -8(%rbp), %rsp\n popq %rbx\n popq %rbp\n ret")),
        Case("drap realignment", Func("drap", "leaq 8(%rsp), %r10\n andq $-64, %rsp\n pushq -8(%r10)\n pushq %rbp\n movq %rsp, %rbp\n pushq %r10\n subq $0x48, %rsp\n call helper\n addq $0x48, %rsp\n popq %r10\n popq %rbp\n leaq -8(%r10), %rsp\n ret")),
        Case("pushf popf", Func("flags", "pushfq\n cli\n popfq\n ret")),
        Case("cld after std", Func("strings", "std\n rep movsb\n cld\n ret")),
        Case("irq stack swizzle", Func("on_irq_stack", "pushq %rbp\n movq %rsp, %rbp\n movq irq_stack_ptr(%rip), %r11\n movq %rsp, (%r11)\n movq %r11, %rsp\n call helper\n popq %rsp\n popq %rbp\n ret") + Data("irq_stack_ptr")),
        Case("conditional tail call", Func("condtail", "testq %rdi, %rdi\n jnz helper\n xorl %eax, %eax\n ret")),
        Case("indirect tail call", Func("indtail", "movq (%rdi), %rax\n jmp *%rax")),
        Case("push immediate and pop to memory", Func("pushimm", "pushq $42\n popq 8(%rdi)\n ret")),
        Case("early return after saves", Func("earlyret", "pushq %rbp\n movq %rsp, %rbp\n pushq %r13\n pushq %r12\n testq %rdi, %rdi\n jz 1f\n call helper\n1:\n popq %r12\n popq %r13\n popq %rbp\n ret")),
        Case("frame restored by mov from rbp slot", Func("movrestore", "pushq %rbp\n movq %rsp, %rbp\n subq $16, %rsp\n movq %rbx, -8(%rbp)\n call helper\n movq -8(%rbp), %rbx\n leave\n ret")),
        Case("many functions", string.Concat(Enumerable.Range(0, 8).Select(i => Func($"chain{i}", $"pushq %rbp\n movq %rsp, %rbp\n {(i < 7 ? $"call chain{i + 1}" : "nop")}\n popq %rbp\n ret")))),
    ];

    /// <summary>Functions breaking one rule each.</summary>
    public static IEnumerable<ValidationCase> Broken =>
    [
        Case("call without frame", Func("noframe", "call helper\n ret")),
        Case("call after pushes without frame", Func("noframe2", "pushq %rbx\n call helper\n popq %rbx\n ret")),
        Case("call before frame set up", Func("early", "pushq %rbp\n call helper\n movq %rsp, %rbp\n popq %rbp\n ret")),
        Case("return with push left", Func("leaky", "pushq %rbx\n ret")),
        Case("return with locals left", Func("leaky2", "subq $0x10, %rsp\n ret")),
        Case("return with frame left", Func("leaky3", "pushq %rbp\n movq %rsp, %rbp\n call helper\n ret")),
        Case("stack state mismatch", Func("mismatch", "testq %rdi, %rdi\n jz 1f\n pushq %rbx\n1:\n nop\n ret")),
        Case("frame-pointer state mismatch", Func("bpmismatch", "subq $8, %rsp\n testq %rdi, %rdi\n jz 1f\n movq %rbp, (%rsp)\n1:\n addq $8, %rsp\n ret")),
        Case("unreachable instruction", Func("dead", "ret\n movq %rax, %rbx\n ret")),
        Case("undefined stack state", Func("lostsp", "movq %rax, %rsp\n pushq %rbx\n ret")),
        Case("unsupported stack register modification", Func("addreg", "addq %rax, %rsp\n ret")),
        Case("unsupported realignment", Func("realign", "andq $-16, %rsp\n ret")),
        Case("falls through", Func("nofinish", "movq %rdi, %rax") + Func("next_func", "ret")),
        Case("sibling call with modified frame", Func("badtail", "pushq %rbx\n jmp helper")),
        Case("bp scratch", Func("scratch", "pushq %rbp\n movq %rdi, %rbp\n popq %rbp\n ret")),
        Case("call with DF set", Func("dfcall", "pushq %rbp\n movq %rsp, %rbp\n std\n call helper\n cld\n popq %rbp\n ret")),
        Case("return with DF set", Func("dfret", "std\n ret")),
        Case("redundant cld", Func("dfcld", "cld\n ret")),
        Case("sysret in a function", Func("sysret_in_func", "sysretq")),
        Case("entry code no hint reaches", "\n    .globl stray_entry\nstray_entry:\n    pushq %rax\n    popq %rax\n    sysretq\n"),
        Case("mismatch after loop", Func("loopleak", "1:\n pushq %rax\n decq %rdi\n jnz 1b\n ret")),
        Case("end of section", "\n    .globl tail_end\n    .type tail_end, @function\ntail_end:\n    pushq %rbp\n    movq %rsp, %rbp\n    nop\n    .size tail_end, .-tail_end\n"),
    ];

    /// <summary>Entry code carried by hints.</summary>
    public static IEnumerable<ValidationCase> Hinted =>
    [
        Case("iret frame then pt_regs", Entry("irq_entry", """
                HINT_IRET
                pushq $-1
                subq $15*8, %rsp
                HINT_REGS
                movq %rsp, %rdi
                call helper
                addq $16*8, %rsp
                HINT_IRET
                iretq
            """)),
        Case("partial pt_regs with offset", Entry("err_entry", """
                HINT_IRET 8
                subq $15*8, %rsp
                HINT_REGS 8
                call helper
                addq $15*8, %rsp
                HINT_IRET 8
                addq $8, %rsp
                HINT_IRET
                iretq
            """)),
        Case("syscall entry before and after the stack switch", Entry("syscall_entry", """
                HINT_EMPTY
                swapgs
                movq %rsp, %gs:0x6014
                movq %gs:0x600c, %rsp
                pushq $0x2b
                pushq %gs:0x6014
                pushq %r11
                pushq $0x33
                pushq %rcx
                HINT_IRET
                pushq %rax
                subq $15*8, %rsp
                HINT_REGS
                movq %rsp, %rdi
                call helper
                addq $15*8, %rsp
                popq %rax
                HINT_IRET
                addq $5*8, %rsp
                HINT_EMPTY
                swapgs
                sysretq
            """)),
        Case("irq entry switching to the irq stack", Entry("irq_switch", """
                HINT_REGS
                movq %rsp, %rdi
                movq %gs:0x7000, %rsp
                pushq %rdi
                HINT 1, 9, 0
                call helper
                popq %rsp
                HINT_REGS
                addq $16*8, %rsp
                HINT_IRET
                iretq
            """)),
        Case("hint in the middle of a path", Entry("resync", """
                HINT_REGS
                testq %rdi, %rdi
                jz 1f
                call helper
            1:
                HINT_REGS
                nop
                HINT_EMPTY
                ud2
            """)),
        Case("function hint", Entry("thunk_like", """
                HINT_FUNC
                pushq %rbp
                movq %rsp, %rbp
                call helper
                popq %rbp
                ret
            """)),
        Case("save and restore", Func("saverestore", """
                pushq %rbp
                movq %rsp, %rbp
                HINT_SAVE
                testq %rdi, %rdi
                jz 1f
                popq %rbp
                ret
            1:
                HINT_RESTORE
                call helper
                popq %rbp
                ret
            """)),
        Case("unknown hint register", Entry("badhint", """
                HINT 1, 15, 0
                ret
            """)),
    ];

    private static ValidationCase Case(string name, string body) => new(name, Prelude + body);

    private static string Func(string name, string body) => $"""

            .globl {name}
            .type {name}, @function
        {name}:
            {Indent(body)}
            .size {name}, .-{name}

        """;

    private static string Entry(string name, string body) => $"""

            .globl {name}
        {name}:
            {Indent(body)}

        """;

    private static string Data(string name) => $"""

            .data
            .globl {name}
        {name}:
            .quad 0
            .text

        """;

    private static string Indent(string body) => string.Join("\n    ", body.Split('\n').Select(l => l.Trim()));
}
