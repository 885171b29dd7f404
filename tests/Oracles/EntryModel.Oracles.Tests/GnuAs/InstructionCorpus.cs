using System.Globalization;

namespace EntryModel.Oracles.Tests.GnuAs;

/// <summary>
/// Instruction lines generated from tables (operation x size x operand shape), plus the forms entry
/// code uses, each of which GNU as must encode exactly as the generator does. The symbols the lines
/// name (<c>sym</c>, <c>target</c>, <c>far_target</c>, <c>sys_call_table</c>) are defined by <see cref="Epilogue"/>.
/// </summary>
internal static class InstructionCorpus
{
    private static readonly string[] Alu = ["add", "or", "adc", "sbb", "and", "sub", "xor", "cmp"];
    private static readonly (char Suffix, string[] Regs)[] Sizes =
    [
        ('q', ["%rax", "%rbx", "%rcx", "%rsp", "%rbp", "%r8", "%r12", "%r13", "%r15"]),
        ('l', ["%eax", "%ebx", "%ecx", "%esi", "%r9d", "%r14d"]),
        ('w', ["%ax", "%bx", "%si", "%r10w"]),
        ('b', ["%al", "%bl", "%cl", "%dil", "%sil", "%r11b", "%ah"]),
    ];

    private static readonly string[] Memory =
    [
        "(%rax)", "8(%rsp)", "-8(%rbp)", "(%rbp)", "(%r12)", "(%r13)", "0x100(%rax,%rcx,8)", "(,%rax,8)", "-0x80(%rsi,%rdi,2)",
        "0x7f(%rbx)", "0x80(%rbx)", "%gs:0x10", "%gs:(%rax)", "sym(%rip)", "sym", "sym+8(%rdx)",
    ];

    private static readonly long[] Immediates = [0, 1, -1, 127, -128, 128, 0x1000, -0x1000, 0x7fffffff, -0x80000000L];

    public static IEnumerable<string> Lines()
    {
        foreach (var op in Alu)
        {
            foreach (var (suffix, regs) in Sizes)
            {
                for (int i = 0; i + 1 < regs.Length; i += 2)
                {
                    if (regs[i] == "%ah" || regs[i + 1] == "%ah")
                    {
                        continue;
                    }

                    yield return $"{op}{suffix} {regs[i]}, {regs[i + 1]}";
                }

                foreach (var imm in Immediates)
                {
                    if (!FitsSize(imm, suffix))
                    {
                        continue;
                    }

                    yield return $"{op}{suffix} ${Format(imm)}, {regs[0]}";
                    yield return $"{op}{suffix} ${Format(imm)}, {regs[1]}";
                }

                yield return $"{op}{suffix} {Memory[1]}, {regs[2]}";
                yield return $"{op}{suffix} {regs[2]}, {Memory[6]}";
                yield return $"{op}{suffix} $3, {Memory[2]}";
            }
        }

        foreach (var (suffix, regs) in Sizes)
        {
            foreach (var op in new[] { "inc", "dec", "neg", "not" })
            {
                yield return $"{op}{suffix} {regs[1]}";
                yield return $"{op}{suffix} {Memory[0]}";
            }

            foreach (var op in new[] { "shl", "shr", "sar", "rol", "ror", "sal" })
            {
                yield return $"{op}{suffix} {regs[1]}";
                yield return $"{op}{suffix} $1, {regs[1]}";
                yield return $"{op}{suffix} $5, {regs[2]}";
                yield return $"{op}{suffix} %cl, {regs[0]}";
                yield return $"{op}{suffix} $2, {Memory[1]}";
            }

            yield return $"test{suffix} {regs[1]}, {regs[2]}";
            yield return $"test{suffix} $1, {regs[0]}";
            yield return $"test{suffix} $1, {regs[1]}";
            yield return $"test{suffix} $3, {Memory[0]}";
            yield return $"test{suffix} {regs[1]}, {Memory[1]}";
            yield return $"xchg{suffix} {regs[1]}, {regs[2]}";
            yield return $"xchg{suffix} {regs[1]}, {Memory[1]}";
        }

        // mov in every direction and addressing form.
        foreach (var (suffix, regs) in Sizes)
        {
            yield return $"mov{suffix} {regs[1]}, {regs[2]}";
            foreach (var m in Memory)
            {
                yield return $"mov{suffix} {m}, {regs[1]}";
                yield return $"mov{suffix} {regs[2]}, {m}";
            }

            foreach (var imm in Immediates)
            {
                if (FitsSize(imm, suffix))
                {
                    yield return $"mov{suffix} ${Format(imm)}, {regs[1]}";
                }
            }

            yield return $"mov{suffix} $7, {Memory[2]}";
        }

        foreach (var line in Fixed)
        {
            yield return line;
        }
    }

    /// <summary>Forms that entry code and simple kernel functions use.</summary>
    private static readonly string[] Fixed =
    [
        "movq $0xffffffff, %rax", "movq $0x123456789, %rax", "movabsq $0x123456789abcdef0, %rdx", "movabs $sym, %rax", "movabsq sym, %rax", "movabs %rax, sym", "movabsl sym, %eax",
        "movq $sym, %rax", "movq sym, %rax", "movq %rax, sym", "movq %gs:sym, %rsp", "movq %rsp, %gs:sym",
        "movzbl %al, %eax", "movzbl (%rdi), %ecx", "movzwl %ax, %edx", "movzbq %bl, %rbx", "movzwq 2(%rsi), %rax", "movzbw %al, %ax",
        "movsbl %al, %eax", "movsbq (%rdi), %rcx", "movswl %ax, %edx", "movswq %si, %rsi", "movslq %eax, %rax", "movslq 4(%rdi), %r8",
        "movzx %al, %eax", "movsx %bl, %rbx",
        "leaq 8(%rsp), %rdi", "leaq 1+0x78(%rsp), %rbp", "lea sym(%rip), %rax", "leal (%rax,%rax,2), %eax", "leaq -1(%rbx,%rcx,4), %rdx", "lea (%rsp), %rbp",
        "pushq %rax", "pushq %rbx", "pushq %rsp", "pushq %rbp", "pushq %r8", "pushq %r15", "push %r12",
        "pushq $0", "pushq $-1", "pushq $127", "pushq $128", "pushq $0x2b", "pushq $sym", "pushq $sym+1", "pushq (%rax)", "pushq 8(%rsp)", "pushq sym(%rip)", "pushq %gs:0x20",
        "popq %rax", "popq %rbp", "popq %r11", "popq (%rax)", "pop %rsp", "pushfq", "popfq", "pushf", "popf",
        "xchgq %rax, %rbx", "xchgq %rbx, %rax", "xchg %rax, %rax", "xchgl %eax, %ecx", "xchg %eax, %eax",
        "imulq %rbx, %rax", "imulq $10, %rbx, %rax", "imulq $1000, %rcx", "imull 8(%rsp), %eax", "imul $3, %eax",
        "mulq %rbx", "divq %rcx", "idivl %esi", "mulb %cl", "imulq %rdx",
        "btq %rax, %rbx", "btl $3, %eax", "btsq %rcx, (%rdi)", "btrq $5, %rax", "btsl $31, 4(%rsi)", "btcq %rax, %rdx",
        "sete %al", "setne %bl", "setz %cl", "setnz %dl", "setg (%rax)", "setbe %r8b", "setl %sil",
        "cmoveq %rax, %rbx", "cmovneq (%rdi), %rcx", "cmovl %eax, %edx", "cmovaeq %r8, %r9", "cmovz %rax, %rbx", "cmovnc %eax, %eax",
        "bswapq %rax", "bswap %r12", "bswapl %eax",
        "call target", "call *%rbx", "call *%r11", "call *(%rax)", "call *8(%rsp)", "call *sys_call_table(,%rax,8)", "call *sym(%rip)", "callq target",
        "jmp target", "jmp near_label", "jmp *%rax", "jmp *(%rax,%rcx,8)", "jmpq *sym(%rip)",
        "je near_label", "jne near_label", "jz near_label", "jnz near_label", "ja near_label", "jae near_label", "jb near_label",
        "jbe near_label", "jg near_label", "jge near_label", "jl near_label", "jle near_label", "js near_label", "jns near_label",
        "jo near_label", "jno near_label", "jp near_label", "jnp near_label", "jc near_label", "jnc near_label",
        "je far_target", "jne far_target", "jmp far_target",
        "nop", "nopl (%rax)", "nopl 0(%rax)", "nopw 0(%rax,%rax,1)", "nopl 0x0(%rax,%rax,1)", "nopw %cs:0x0(%rax,%rax,1)", "xchg %ax, %ax",
        "int3", "int $0x80", "int $3", "ud2", "hlt", "cli", "sti", "cld", "std", "clc", "stc", "cmc",
        "swapgs", "syscall", "sysretq", "sysretl", "iretq", "lfence", "mfence", "sfence", "pause", "cpuid", "rdmsr", "wrmsr", "rdtsc",
        "vmcall", "clac", "stac", "leave", "leaveq", "ret", "retq", "ret $8", "cltq", "cqto", "cltd", "cwtl",
        "rep movsb", "rep stosb", "rep movsq", "rep stosq", "movsb", "stosq", "lodsb", "rep movsl", "repe cmpsb", "repne scasb",
        "lock incl (%rax)", "lock addq $1, (%rdi)", "lock btsq $0, 8(%rax)", "lock xaddq %rax, (%rdx)", "lock cmpxchgq %rcx, (%rsi)", "lock orl $0, -4(%rsp)",
        "movq %cr2, %rax", "movq %rax, %cr3", "movq %cr4, %rdi", "movq %dr7, %rax",
        "outb %al, %dx", "inb %dx, %al", "outl %eax, $0x80", "inw $0x60, %ax",
        "andq $-16, %rsp", "andl $0xffffffff, %eax", "orl $0x80000000, %eax", "cmpq $__NR_max, %rax", "subq $15*8, %rsp", "addq $(6*8), %rsp",
        "testb $3, CS_OFF(%rsp)", "movq RBX_OFF(%rsp), %rbx", "movq %rax, RAX_OFF(%rsp)", "movq $-1, ORIG_RAX_OFF(%rsp)", "movq %r10, %rcx",
        "cmpq $0, (%rsp)", "xorl %eax, %eax", "xorl %r8d, %r8d", "subq %rax, %rax",
    ];

    /// <summary>Defines what the lines refer to, so the file links on its own.</summary>
    public const string Prologue =
        """
        .set CS_OFF, 17*8
        .set RBX_OFF, 5*8
        .set RAX_OFF, 10*8
        .set ORIG_RAX_OFF, 15*8
        .set __NR_max, 328
        start:
        """;

    public const string Epilogue =
        """
        near_label:
        	nop
        target:
        	ret
        	.skip 300, 0xcc
        far_target:
        	ret
        sym:
        	.quad 0
        sys_call_table:
        	.quad target, far_target
        """;

    private static bool FitsSize(long imm, char suffix) => suffix switch
    {
        'b' => imm >= -128 && imm <= 255,
        'w' => imm >= short.MinValue && imm <= ushort.MaxValue,
        _ => true,
    };

    private static string Format(long v) => v < 0 ? "-0x" + (-v).ToString("x", CultureInfo.InvariantCulture) : "0x" + v.ToString("x", CultureInfo.InvariantCulture);
}
