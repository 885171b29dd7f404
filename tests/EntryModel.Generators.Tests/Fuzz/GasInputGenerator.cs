using System.Text;

namespace EntryModel.Generators.Tests.Fuzz;

/// <summary>
/// Deterministic sources of hostile GAS text: random characters, valid entry code with random
/// mutations, and random sequences of GAS tokens. A seed reproduces any failing input.
/// </summary>
internal static class GasInputGenerator
{
    public static readonly string[] ValidLines =
    [
        "pushq %rbp", "movq %rsp, %rbp", "popq %rbp", "ret", "call do_work", "jmp 1f", "1: nop", "jz 1b",
        "leaq 1+16(%rsp), %rbp", "pushq $pt_regs+1", "pushq %rsp", "addq $16, %rsp", "movq RBX(%rsp), %rbx",
        "call *sys_call_table(,%rax,8)", "call *%rbx", "movl $0x10, %eax", "xorl %eax, %eax", "swapgs", "sysretq",
        "iretq", ".set RBX, 40", ".equ OFF, 8", ".byte 1, 2, 3", ".quad do_work", ".p2align 4", ".skip 8",
        ".ifdef CONFIG_FRAME_POINTER", ".else", ".endif", ".if OFF > 4", ".macro M a=1 b", "\\a", ".endm", "M 3, 4",
        "movq %gs:0x10, %rsp", "rep movsb", "cmpq $0, (%rdi)", "testb $1, 8(%rax)", "ud2", "int3", "hlt",
        "movzbl (%rsi), %eax", "# a comment", "nop; nop", "label: .long label - .", ".org 0x20", ".fill 4, 1, 0x90",
    ];

    private static readonly string[] Tokens =
    [
        "mov", "movq", "push", "pushq", "pop", "call", "jmp", "jz", "ret", "lea", "leaq", "addq", "sub", "%rax", "%rsp",
        "%rbp", "%gs", "%eax", "%al", "%r15", "%rip", "$", "$1", "$-1", "0x", "0xffffffffffffffff", "99999999999999999999",
        "(", ")", ",", ":", ";", "#", "\\", "\"", "'", ".macro", ".endm", ".if", ".ifdef", ".else", ".endif", ".set", ".equ",
        ".byte", ".quad", ".org", ".skip", ".fill", ".p2align", "1f", "1b", "1:", "*", "+", "-", "<<", ">>", "x", "pt_regs",
        "\n", "\n", " ", "\t", "@", "{", "}", "[", "]", "=", "==", "!", "~", "%", "$$", ".", "..", "\r\n",
    ];

    private const string Interesting = "%$(),:;.\\#\"'0123456789xX-+*/<>=!~@ \t\n\r{}[]";

    public static string Random(int seed)
    {
        var random = new Random(seed);
        return (seed % 3) switch
        {
            0 => RandomCharacters(random),
            1 => MutatedValid(random),
            _ => RandomTokens(random),
        };
    }

    private static string RandomCharacters(Random random)
    {
        var builder = new StringBuilder();
        int length = random.Next(0, 200);
        for (int i = 0; i < length; i++)
        {
            builder.Append(random.Next(4) == 0 ? (char)random.Next(0, 0x3000) : (char)random.Next(0, 128));
        }

        return builder.ToString();
    }

    private static string MutatedValid(Random random)
    {
        var lines = new List<string>();
        int count = random.Next(1, 20);
        for (int i = 0; i < count; i++)
        {
            lines.Add(ValidLines[random.Next(ValidLines.Length)]);
        }

        var text = new StringBuilder(string.Join(random.Next(5) == 0 ? ";" : "\n", lines));
        int mutations = random.Next(0, 8);
        for (int m = 0; m < mutations && text.Length > 0; m++)
        {
            int at = random.Next(text.Length);
            switch (random.Next(4))
            {
                case 0:
                    text.Remove(at, 1);
                    break;
                case 1:
                    text.Insert(at, Interesting[random.Next(Interesting.Length)]);
                    break;
                case 2:
                    int length = random.Next(1, Math.Min(20, text.Length - at) + 1);
                    text.Insert(at, text.ToString(at, length));
                    break;
                default:
                    text[at] = Interesting[random.Next(Interesting.Length)];
                    break;
            }
        }

        return text.ToString();
    }

    private static string RandomTokens(Random random)
    {
        var builder = new StringBuilder();
        int count = random.Next(0, 60);
        for (int i = 0; i < count; i++)
        {
            builder.Append(Tokens[random.Next(Tokens.Length)]);
            if (random.Next(3) == 0)
            {
                builder.Append(' ');
            }
        }

        return builder.ToString();
    }
}
