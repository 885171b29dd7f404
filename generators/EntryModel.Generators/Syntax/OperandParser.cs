using System.Collections.Generic;
using EntryModel.Generators.Diagnostics;
using Iced.Intel;

namespace EntryModel.Generators.Syntax;

/// <summary>Parses the comma-separated AT&amp;T operands of an instruction.</summary>
internal static class OperandParser
{
    /// <summary>Splits <paramref name="text"/>[start..] at top-level commas and parses each operand.</summary>
    public static List<Operand> ParseOperands(string text, int start)
    {
        var result = new List<Operand>();
        int depth = 0;
        int begin = start;
        for (int i = start; i <= text.Length; i++)
        {
            char c = i < text.Length ? text[i] : ',';
            if (c == '(')
            {
                depth++;
            }
            else if (c == ')')
            {
                depth--;
            }
            else if (c == ',' && depth <= 0)
            {
                int s = begin;
                int e = i;
                while (s < e && text[s] == ' ')
                {
                    s++;
                }

                while (e > s && text[e - 1] == ' ')
                {
                    e--;
                }

                if (s == e)
                {
                    if (i == text.Length && result.Count == 0)
                    {
                        break;
                    }

                    throw new SyntaxException(DiagnosticIds.BadOperand, "missing operand", s, 0);
                }

                result.Add(Parse(text, s, e));
                begin = i + 1;
                depth = 0;
            }
        }

        return result;
    }

    public static Operand Parse(string text, int start, int end)
    {
        var op = new Operand { Offset = start, Length = end - start };
        int p = start;
        if (text[p] == '*')
        {
            op.Indirect = true;
            p++;
            while (p < end && text[p] == ' ')
            {
                p++;
            }
        }

        if (p >= end)
        {
            throw new SyntaxException(DiagnosticIds.BadOperand, "operand expected", start, end - start);
        }

        if (text[p] == '$')
        {
            if (op.Indirect)
            {
                throw new SyntaxException(DiagnosticIds.BadOperand, "an immediate cannot be indirect", start, end - start);
            }

            op.Kind = OperandKind.Immediate;
            op.Value = ExpressionParser.ParseAll(text, p + 1, end);
            return op;
        }

        if (text[p] == '%')
        {
            var reg = ParseRegister(text, ref p, end);

            // %gs:disp(...) is a memory operand with a segment override.
            int q = p;
            while (q < end && text[q] == ' ')
            {
                q++;
            }

            if (q < end && text[q] == ':')
            {
                if (!IsSegment(reg))
                {
                    throw new SyntaxException(DiagnosticIds.BadOperand, $"'{reg.ToString().ToLowerInvariant()}' is not a segment register", start, p - start);
                }

                op.Segment = reg;
                p = q + 1;
                ParseMemory(text, p, end, op);
                return op;
            }

            if (q != end)
            {
                throw new SyntaxException(DiagnosticIds.BadOperand, $"junk '{text.Substring(q, end - q)}' after register", q, end - q);
            }

            op.Kind = OperandKind.Register;
            op.Register = reg;
            return op;
        }

        ParseMemory(text, p, end, op);
        return op;
    }

    private static bool IsSegment(Register r) => r >= Register.ES && r <= Register.GS;

    private static Register ParseRegister(string text, ref int p, int end)
    {
        int s = p;
        p++;
        // GNU as allows blanks after the '%' (cpp leaves "% rip" where a macro pasted it).
        while (p < end && text[p] == ' ')
        {
            p++;
        }

        int nameStart = p;
        while (p < end && char.IsLetterOrDigit(text[p]))
        {
            p++;
        }

        // %st(1)
        string name = text.Substring(nameStart, p - nameStart);
        if (RegisterNames.TryGet(name, out var r))
        {
            return r;
        }

        throw new SyntaxException(DiagnosticIds.UnknownRegister, $"unknown register '%{name}'", s, p - s);
    }

    private static void ParseMemory(string text, int p, int end, Operand op)
    {
        op.Kind = OperandKind.Memory;

        // The displacement runs up to the '(' that opens the base/index part (if any) at depth 0.
        int paren = -1;
        int depth = 0;
        for (int i = end - 1; i >= p; i--)
        {
            if (text[i] == ')')
            {
                depth++;
                if (depth == 1 && i != end - 1)
                {
                    break;
                }
            }
            else if (text[i] == '(')
            {
                depth--;
                if (depth == 0)
                {
                    // Only a '(' whose contents start with '%' or ',' is a base/index part.
                    int k = i + 1;
                    while (k < end && text[k] == ' ')
                    {
                        k++;
                    }

                    if (k < end && (text[k] == '%' || text[k] == ','))
                    {
                        paren = i;
                    }

                    break;
                }
            }
        }

        int dispEnd = paren >= 0 ? paren : end;
        int ds = p;
        while (ds < dispEnd && text[ds] == ' ')
        {
            ds++;
        }

        if (ds < dispEnd)
        {
            op.Value = ExpressionParser.ParseAll(text, ds, dispEnd);
        }

        if (paren < 0)
        {
            return;
        }

        if (text[end - 1] != ')')
        {
            throw new SyntaxException(DiagnosticIds.BadOperand, "')' expected", end, 0);
        }

        // (base), (base,index), (base,index,scale), (,index,scale)
        var parts = text.Substring(paren + 1, end - 1 - paren - 1).Split(',');
        int partOffset = paren + 1;
        for (int k = 0; k < parts.Length; k++)
        {
            string part = parts[k].Trim();
            int at = partOffset + parts[k].IndexOf(part, System.StringComparison.Ordinal);
            if (k == 0 || k == 1)
            {
                if (part.Length == 0)
                {
                    if (k == 1)
                    {
                        throw new SyntaxException(DiagnosticIds.BadOperand, "index register expected", at, 0);
                    }
                }
                else
                {
                    if (part[0] != '%')
                    {
                        throw new SyntaxException(DiagnosticIds.BadOperand, $"register expected, not '{part}'", at, part.Length);
                    }

                    int rp = 0;
                    var reg = ParseRegister(part, ref rp, part.Length);
                    if (rp != part.Length)
                    {
                        throw new SyntaxException(DiagnosticIds.BadOperand, $"junk after register in '{part}'", at, part.Length);
                    }

                    if (k == 0)
                    {
                        op.Base = reg;
                    }
                    else
                    {
                        op.Index = reg;
                    }
                }
            }
            else if (k == 2)
            {
                if (part != "1" && part != "2" && part != "4" && part != "8")
                {
                    throw new SyntaxException(DiagnosticIds.BadOperand, $"scale must be 1, 2, 4 or 8, not '{part}'", at, part.Length);
                }

                op.Scale = part[0] - '0';
            }
            else
            {
                throw new SyntaxException(DiagnosticIds.BadOperand, "too many parts in memory operand", at, part.Length);
            }

            partOffset += parts[k].Length + 1;
        }

        if (op.Index == Register.RSP || op.Index == Register.ESP)
        {
            throw new SyntaxException(DiagnosticIds.BadOperand, "%rsp cannot be an index register", paren, end - paren);
        }
    }
}
