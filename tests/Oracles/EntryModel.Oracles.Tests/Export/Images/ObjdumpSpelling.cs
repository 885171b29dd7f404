using System.Globalization;
using System.Text.RegularExpressions;

namespace EntryModel.Oracles.Tests.Export.Images;

/// <summary>
/// Where <c>objdump -d</c> and the model's disassembler (Iced's GAS formatter, <c>SymbolDisassembler</c>)
/// spell the same instruction differently, and the one form both are brought to. Each rule is a
/// spelling, never a different instruction or operand value:
/// <list type="number">
/// <item>whitespace runs are one space (objdump pads with tabs);</item>
/// <item>a branch or call target: objdump writes <c>ffffffff81885100 &lt;error_exit&gt;</c>, the model the name alone, <c>error_exit</c>;</item>
/// <item>a RIP-relative operand: objdump writes <c>0xbb2039(%rip)  # ffffffff81c02100 &lt;jiffies&gt;</c>, the model <c>jiffies(%rip)</c>
/// (and where no symbol holds the address, objdump's <c># address</c> comment goes);</item>
/// <item>an immediate or displacement that is an address inside an image symbol (read as objdump prints
/// it, a sign-extended 32-bit value): objdump writes the number (<c>$0xffffffff81887861</c>,
/// <c>-0x7e600000(,%rax,8)</c>), the model <c>name+0xoff</c> (<c>$pt_regs+0x1</c>, <c>sys_call_table(,%rax,8)</c>);</item>
/// <item>a scale of 1: objdump writes <c>(%r8,%rsi,1)</c>, Iced <c>(%r8,%rsi)</c>;</item>
/// <item>string instructions: objdump writes their implicit segments (<c>%ds:(%rsi),%es:(%rdi)</c>), Iced does not;</item>
/// <item>push, pop, call and jmp with a memory operand: Iced writes the <c>q</c> suffix (<c>pushq %gs:0x90</c>,
/// <c>callq *0x20(%rax)</c>), objdump does not: in 64-bit mode these have no other operand size without a 0x66 prefix,
/// which both then spell with <c>w</c>.</item>
/// </list>
/// </summary>
internal static partial class ObjdumpSpelling
{
    /// <summary>The model's text in the common form (rules 1 and 7).</summary>
    public static string OfModel(string text) => SizeSuffix().Replace(Spaces(text), "$1 ");

    /// <summary>objdump's text in the common form (rules 1 to 6); <paramref name="symbols"/> names addresses as the model does.</summary>
    public static string OfObjdump(string text, SymbolTable symbols)
    {
        string result = Spaces(text);
        result = BranchTarget().Replace(result, m => $"{m.Groups["op"].Value} {m.Groups["name"].Value}");
        result = RipRelative().Replace(result, m => $"{m.Groups["name"].Value}(%rip){m.Groups["rest"].Value}");
        result = AddressComment().Replace(result, string.Empty);
        result = Number().Replace(result, m => Named(m, symbols));
        result = ScaleOne().Replace(result, ")");
        result = StringSegments().Replace(result, "$1");
        return result;
    }

    private static string Spaces(string text) => Whitespace().Replace(text.Trim(), " ");

    private static string Named(Match m, SymbolTable symbols)
    {
        ulong value = ulong.Parse(m.Groups["hex"].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        if (m.Groups["minus"].Success)
        {
            value = unchecked(0 - value);
        }
        else if (value <= uint.MaxValue && !m.Groups["dollar"].Success)
        {
            // A displacement is a sign-extended 32-bit value.
            value = unchecked((ulong)(long)(int)(uint)value);
        }

        if (!symbols.TryLookup(value, out var symbol, out ulong offset))
        {
            return m.Value;
        }

        string name = offset == 0 ? symbol.Name : $"{symbol.Name}+0x{offset:x}";
        return m.Groups["dollar"].Value + name + m.Groups["paren"].Value;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"^(push|pop|call|jmp)q (?=[*%(0-9a-z-])")]
    private static partial Regex SizeSuffix();

    [GeneratedRegex(@"^(?<op>(?:bnd |notrack )?(?:j[a-z]+|call|loop[a-z]*|xbegin)) [0-9a-f]+ <(?<name>[^>]+)>$")]
    private static partial Regex BranchTarget();

    [GeneratedRegex(@"-?0x[0-9a-f]+\(%rip\)(?<rest>.*?) # [0-9a-f]+ <(?<name>[^>]+)>$")]
    private static partial Regex RipRelative();

    /// <summary>objdump's comment with the address a RIP-relative operand names, when no symbol holds it: the model writes the displacement alone.</summary>
    [GeneratedRegex(@" # [0-9a-f]+$")]
    private static partial Regex AddressComment();

    /// <summary>An immediate (<c>$0x..</c>) or a displacement (<c>0x..(</c>, <c>-0x..(</c>) in an operand.</summary>
    [GeneratedRegex(@"(?<=[ ,*:])(?:(?<dollar>\$)0x(?<hex>[0-9a-f]+)|(?<minus>-)?0x(?<hex>[0-9a-f]+)(?<paren>\())")]
    private static partial Regex Number();

    [GeneratedRegex(@",1\)")]
    private static partial Regex ScaleOne();

    [GeneratedRegex(@"%[de]s:(\(%[re][sd]i\))")]
    private static partial Regex StringSegments();
}
