using System.Globalization;
using EntryModel.Generators.Diagnostics;

namespace EntryModel.Generators.Syntax;

/// <summary>
/// Parses GAS expressions with GAS's precedence: unary; <c>* / % &lt;&lt; &gt;&gt;</c>; <c>| &amp; ^ !</c>;
/// <c>+ - == != &lt;&gt; &lt; &gt; &lt;= &gt;=</c>; <c>&amp;&amp; ||</c>.
/// Nesting is limited to <see cref="MaxDepth"/>: the parser and every later walk over a tree recurse,
/// and thousands of parentheses would overflow the compiler's stack.
/// </summary>
internal sealed class ExpressionParser
{
    /// <summary>Deepest nesting of parentheses, unary operators and chained binary operators.</summary>
    public const int MaxDepth = 256;

    private readonly string text;
    private int pos;
    private int nesting;

    public ExpressionParser(string text, int start = 0)
    {
        this.text = text;
        pos = start;
    }

    public int Position => pos;

    public static Expression ParseAll(string text, int start, int end)
    {
        var p = new ExpressionParser(text.Substring(0, end), start);
        var e = p.Parse();
        p.SkipSpaces();
        if (p.pos < end)
        {
            throw new SyntaxException(DiagnosticIds.SyntaxError, $"junk '{text.Substring(p.pos, end - p.pos)}' after expression", p.pos, end - p.pos);
        }

        return e;
    }

    public static bool IsSymbolStart(char c) => char.IsLetter(c) || c == '_' || c == '.';

    public static bool IsSymbolChar(char c) => char.IsLetterOrDigit(c) || c == '_' || c == '.' || c == '$' || c == '@';

    public Expression Parse() => ParseLevel(4);

    public void SkipSpaces()
    {
        while (pos < text.Length && text[pos] == ' ')
        {
            pos++;
        }
    }

    private static int Level(string op)
    {
        switch (op)
        {
            case "*":
            case "/":
            case "%":
            case "<<":
            case ">>":
                return 1;
            case "|":
            case "&":
            case "^":
            case "!":
                return 2;
            case "+":
            case "-":
            case "==":
            case "!=":
            case "<>":
            case "<":
            case ">":
            case "<=":
            case ">=":
                return 3;
            case "&&":
            case "||":
                return 4;
            default:
                return -1;
        }
    }

    private Expression ParseLevel(int level)
    {
        if (level == 0)
        {
            return ParseUnary();
        }

        var left = ParseLevel(level - 1);
        while (true)
        {
            SkipSpaces();
            string? op = PeekOperator();
            if (op == null || Level(op) != level)
            {
                return left;
            }

            int at = pos;
            pos += op.Length;
            var right = ParseLevel(level - 1);
            left = Limited(new BinaryExpression(op, left, right, left.Offset, right.Offset + right.Length - left.Offset), at, op.Length);
        }
    }

    private string? PeekOperator()
    {
        if (pos >= text.Length)
        {
            return null;
        }

        string two = pos + 1 < text.Length ? text.Substring(pos, 2) : string.Empty;
        switch (two)
        {
            case "<<":
            case ">>":
            case "==":
            case "!=":
            case "<>":
            case "<=":
            case ">=":
            case "&&":
            case "||":
                return two;
        }

        char c = text[pos];
        return "*/%|&^!+-<>".IndexOf(c) >= 0 ? c.ToString() : null;
    }

    private Expression ParseUnary()
    {
        SkipSpaces();
        if (pos >= text.Length)
        {
            throw new SyntaxException(DiagnosticIds.SyntaxError, "expression expected", pos, 0);
        }

        int start = pos;
        char c = text[pos];
        if (c == '-' || c == '~' || c == '!' || c == '+')
        {
            pos++;
            Enter(start);
            var operand = ParseUnary();
            nesting--;
            return Limited(new UnaryExpression(c, operand, start, operand.Offset + operand.Length - start), start, 1);
        }

        if (c == '(')
        {
            pos++;
            Enter(start);
            var inner = ParseLevel(4);
            nesting--;
            SkipSpaces();
            if (pos >= text.Length || text[pos] != ')')
            {
                throw new SyntaxException(DiagnosticIds.SyntaxError, "')' expected", pos, 0);
            }

            pos++;
            return inner;
        }

        if (c == '\'')
        {
            // A character constant: 'c or 'c' with simple escapes.
            pos++;
            if (pos >= text.Length)
            {
                throw new SyntaxException(DiagnosticIds.SyntaxError, "character expected after '", start, 1);
            }

            long value = text[pos];
            if (text[pos] == '\\' && pos + 1 < text.Length)
            {
                pos++;
                value = text[pos] switch { 'n' => '\n', 't' => '\t', 'r' => '\r', '0' => 0, _ => text[pos] };
            }

            pos++;
            if (pos < text.Length && text[pos] == '\'')
            {
                pos++;
            }

            return new NumberExpression(value, start, pos - start);
        }

        if (char.IsDigit(c))
        {
            return ParseNumber();
        }

        if (c == '.' && (pos + 1 >= text.Length || !IsSymbolChar(text[pos + 1])))
        {
            pos++;
            return new DotExpression(start, 1);
        }

        if (IsSymbolStart(c))
        {
            while (pos < text.Length && IsSymbolChar(text[pos]))
            {
                pos++;
            }

            return new SymbolExpression(text.Substring(start, pos - start), start, pos - start);
        }

        if (c == '%' && pos + 1 < text.Length && char.IsLetter(text[pos + 1]))
        {
            int end = pos + 1;
            while (end < text.Length && char.IsLetterOrDigit(text[end]))
            {
                end++;
            }

            if (RegisterNames.TryGet(text.Substring(pos + 1, end - pos - 1), out var register))
            {
                pos = end;
                return new RegisterExpression(register, start, end - start);
            }
        }

        if (c == '"')
        {
            // A quoted symbol name.
            int end = text.IndexOf('"', pos + 1);
            if (end < 0)
            {
                throw new SyntaxException(DiagnosticIds.SyntaxError, "unterminated quoted symbol", start, text.Length - start);
            }

            pos = end + 1;
            return new SymbolExpression(text.Substring(start + 1, end - start - 1), start, pos - start);
        }

        throw new SyntaxException(DiagnosticIds.SyntaxError, $"unexpected '{c}' in expression", pos, 1);
    }

    /// <summary>Steps into a parenthesis or unary operator at <paramref name="at"/>, unless that nests too deeply.</summary>
    private void Enter(int at)
    {
        if (++nesting > MaxDepth)
        {
            throw TooDeep(at, 1);
        }
    }

    /// <summary><paramref name="e"/>, unless its tree is deeper than every walk over it may recurse.</summary>
    private static Expression Limited(Expression e, int at, int length) => e.Depth > MaxDepth + 1 ? throw TooDeep(at, length) : e;

    private static SyntaxException TooDeep(int at, int length) => new SyntaxException(
        DiagnosticIds.ExpressionTooDeep,
        $"expression nests more than {MaxDepth} levels deep (parentheses, unary operators or a chain of operators); split it with .set symbols",
        at,
        length);

    private Expression ParseNumber()
    {
        int start = pos;
        while (pos < text.Length && char.IsLetterOrDigit(text[pos]))
        {
            pos++;
        }

        string token = text.Substring(start, pos - start);
        int len = pos - start;

        // 1f / 1b: numeric local label references.
        if (token.Length >= 2 && (token[token.Length - 1] == 'f' || token[token.Length - 1] == 'b') && IsAllDigits(token, 0, token.Length - 1))
        {
            if (!int.TryParse(token.Substring(0, token.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out int number))
            {
                throw new SyntaxException(DiagnosticIds.SyntaxError, $"local label number '{token}' is too large", start, len);
            }

            return new LocalLabelExpression(number, token[token.Length - 1] == 'f', start, len);
        }

        ulong value;
        bool ok;
        if (token.StartsWith("0x", System.StringComparison.OrdinalIgnoreCase))
        {
            ok = ulong.TryParse(token.Substring(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value) && token.Length > 2;
        }
        else if (token.StartsWith("0b", System.StringComparison.OrdinalIgnoreCase))
        {
            ok = TryParseBase(token.Substring(2), 2, out value) && token.Length > 2;
        }
        else if (token.Length > 1 && token[0] == '0')
        {
            ok = TryParseBase(token.Substring(1), 8, out value);
        }
        else
        {
            ok = ulong.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        }

        if (!ok)
        {
            throw new SyntaxException(DiagnosticIds.SyntaxError, $"bad number '{token}'", start, len);
        }

        return new NumberExpression(unchecked((long)value), start, len);
    }

    private static bool IsAllDigits(string s, int from, int to)
    {
        for (int i = from; i < to; i++)
        {
            if (!char.IsDigit(s[i]))
            {
                return false;
            }
        }

        return to > from;
    }

    private static bool TryParseBase(string digits, int radix, out ulong value)
    {
        value = 0;
        foreach (char ch in digits)
        {
            int d = ch - '0';
            if (d < 0 || d >= radix)
            {
                return false;
            }

            value = unchecked((value * (ulong)radix) + (ulong)d);
        }

        return true;
    }
}
