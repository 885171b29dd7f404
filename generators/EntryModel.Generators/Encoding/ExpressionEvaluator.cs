using System.Collections.Generic;
using EntryModel.Generators.Diagnostics;
using EntryModel.Generators.Syntax;

namespace EntryModel.Generators.Encoding;

/// <summary>
/// Evaluates expressions against one declaration's symbol table. Before layout, labels are unknown
/// and make a value relocatable. After layout, labels have provisional addresses and a symbol this
/// declaration does not define is external: provisionally 0, resolved by the linker.
/// </summary>
internal sealed class ExpressionEvaluator
{
    /// <summary>
    /// Deepest evaluation, counting through the symbols an expression names: one tree is at most
    /// <see cref="ExpressionParser.MaxDepth"/> deep, but a chain of <c>.set</c>s links trees. Each
    /// level costs a few KiB of stack: this keeps the worst case inside a 1 MiB thread stack.
    /// </summary>
    public const int MaxDepth = ExpressionParser.MaxDepth + 64;

    private readonly Dictionary<string, AsmSymbol> symbols;
    private int depth;
    private int symbolDepth;

    /// <param name="symbols">The symbol table (shared with the expander).</param>
    /// <param name="labelsPlaced">
    /// Whether labels have addresses: the expander's evaluator never does (a label's value is
    /// unknown while statements expand); the layout makes its own once it has placed fragments.
    /// </param>
    public ExpressionEvaluator(Dictionary<string, AsmSymbol> symbols, bool labelsPlaced = false)
    {
        this.symbols = symbols;
        LabelsPlaced = labelsPlaced;
    }

    /// <summary>
    /// Global and weak names. A <c>.set</c> alias among them stays a symbol of its own in what it
    /// evaluates to (<c>.weak memcpy; .set memcpy, __memcpy</c>: references name memcpy, which the
    /// linker may bind elsewhere), as GNU as keeps it in relocations.
    /// </summary>
    public ISet<string>? Preemptible { get; set; }

    /// <summary>Whether labels evaluate to their fragment's address plus their offset (else unknown).</summary>
    public bool LabelsPlaced { get; }

    /// <summary>Evaluates; undefined symbols throw <see cref="SyntaxException"/> after layout and are unknown before.</summary>
    public Value Evaluate(Expression e)
    {
        if (e is NumberExpression leaf)
        {
            return Value.Constant(leaf.Value);
        }

        if (depth >= MaxDepth)
        {
            throw TooDeep(e);
        }

        depth++;
        try
        {
            return EvaluateNode(e);
        }
        finally
        {
            depth--;
        }
    }

    private Value EvaluateNode(Expression e)
    {
        switch (e)
        {
            case NumberExpression n:
                return Value.Constant(n.Value);
            case SymbolExpression s:
                return EvaluateSymbol(s);
            case UnaryExpression u:
                {
                    var v = Evaluate(u.Operand);
                    if (u.Operator == '+')
                    {
                        return v;
                    }

                    if (v.Relocatable && !v.Known)
                    {
                        return new Value(0, false, true, null);
                    }

                    long r = u.Operator switch
                    {
                        '-' => unchecked(-v.Number),
                        '~' => ~v.Number,
                        _ => v.Number == 0 ? 1 : 0,
                    };
                    return new Value(r, v.Known, v.Relocatable, null, linear: !v.Relocatable);
                }

            case BinaryExpression b:
                return EvaluateBinary(b);
            case LocalLabelExpression l:
                throw new SyntaxException(DiagnosticIds.UndefinedSymbol, $"local label {l.Number}{(l.Forward ? "f" : "b")} has no definition", l.Offset, l.Length);
            case DotExpression d:
                throw new SyntaxException(DiagnosticIds.SyntaxError, "'.' is not allowed here", d.Offset, d.Length);
            case RegisterExpression r:
                throw new SyntaxException(DiagnosticIds.SyntaxError, "a register is not a value here (only == and != compare registers)", r.Offset, r.Length);
            default:
                throw new SyntaxException(DiagnosticIds.SyntaxError, "bad expression", e.Offset, e.Length);
        }
    }

    private static SyntaxException TooDeep(Expression e) => new SyntaxException(
        DiagnosticIds.ExpressionTooDeep,
        $"expression nests more than {MaxDepth} levels deep through the symbols it names (a long chain of .set?)",
        e.Offset,
        e.Length);

    /// <summary>Evaluates to an absolute constant now, or throws with <paramref name="what"/> in the message.</summary>
    public long EvaluateAbsolute(Expression e, string what)
    {
        var v = Evaluate(e);
        if (!v.Known)
        {
            throw new SyntaxException(DiagnosticIds.SyntaxError, $"{what} must be an absolute expression known here", e.Offset, e.Length);
        }

        return v.Number;
    }

    private Value EvaluateSymbol(SymbolExpression s)
    {
        if (!symbols.TryGetValue(s.Name, out var sym))
        {
            if (RelocationOperators.IsOperator(Display(s.Name)))
            {
                throw RelocationOperators.NotSupported(s);
            }

            // Defined by another declaration (or nowhere: the linker says which).
            return new Value(0, LabelsPlaced, true, s.Name);
        }

        switch (sym.Kind)
        {
            case AsmSymbolKind.Absolute:
                return Value.Constant(sym.Value);
            case AsmSymbolKind.Label:
                if (!LabelsPlaced || sym.Fragment == null || sym.Label == null)
                {
                    return new Value(0, false, true, sym.Name);
                }

                return new Value(unchecked((long)sym.Fragment.Address + sym.Label.Offset), true, true, sym.Name);
            default:
                if (sym.Evaluating || sym.Expression == null)
                {
                    throw new SyntaxException(DiagnosticIds.SyntaxError, $"symbol '{Display(s.Name)}' is defined in terms of itself", s.Offset, s.Length);
                }

                sym.Evaluating = true;
                int level = ++symbolDepth;
                try
                {
                    var v = Evaluate(sym.Expression);
                    if (Preemptible != null && v.Relocatable && v.Linear && v.Symbol != null && Preemptible.Contains(sym.Name))
                    {
                        return new Value(v.Number, v.Known, true, sym.Name);
                    }

                    return v;
                }
                catch (SyntaxException ex) when (level == 1)
                {
                    // Only the outermost symbol moves the problem to its own span in this statement: a
                    // catch that throws again at every link of a long .set chain piles exception
                    // frames on the stack until it overflows.
                    string message = ex.Id == DiagnosticIds.ExpressionTooDeep ? ex.Message : $"in the value of '{Display(s.Name)}': {ex.Message}";
                    throw new SyntaxException(ex.Id, message, s.Offset, s.Length);
                }
                finally
                {
                    symbolDepth--;
                    sym.Evaluating = false;
                }
        }
    }

    private Value EvaluateBinary(BinaryExpression b)
    {
        if (b.Left is RegisterExpression || b.Right is RegisterExpression)
        {
            return CompareRegisters(b);
        }

        var l = Evaluate(b.Left);
        var r = Evaluate(b.Right);
        bool known = l.Known && r.Known;
        string op = b.Operator;

        // Relocatability: label+const and label-const stay linear in the label; the difference of
        // two labels of one fragment is absolute; anything else that moves with placement is not linear.
        bool relocatable;
        bool linear;
        string? symbol = null;
        if (op == "+")
        {
            relocatable = l.Relocatable || r.Relocatable;
            linear = !(l.Relocatable && r.Relocatable) && l.Linear && r.Linear;
            symbol = l.Relocatable ? l.Symbol : r.Symbol;
        }
        else if (op == "-" && l.Relocatable && r.Relocatable)
        {
            if (!known)
            {
                return new Value(0, false, false, null);
            }

            bool sameFragment = SameFragment(l.Symbol, r.Symbol);
            relocatable = !sameFragment;
            linear = sameFragment;
        }
        else if (op == "-")
        {
            relocatable = l.Relocatable || r.Relocatable;
            linear = !r.Relocatable && l.Linear;
            symbol = l.Symbol;
        }
        else
        {
            relocatable = l.Relocatable || r.Relocatable;
            linear = !relocatable;
        }

        if (!known)
        {
            return new Value(0, false, relocatable, symbol);
        }

        long a = l.Number, c = r.Number;
        long result;
        switch (op)
        {
            case "+": result = unchecked(a + c); break;
            case "-": result = unchecked(a - c); break;
            case "*": result = unchecked(a * c); break;
            case "/":
            case "%":
                if (c == 0)
                {
                    // GNU as warns and divides by one; a wrong image is worse than an error.
                    throw new SyntaxException(DiagnosticIds.ValueOutOfRange, $"{(op == "/" ? "division" : "modulo")} by zero", b.Offset, b.Length);
                }

                if (a == long.MinValue && c == -1)
                {
                    // The one quotient that does not fit in 64 bits (GNU as 2.40 dies of a floating-point exception on it).
                    throw new SyntaxException(DiagnosticIds.ValueOutOfRange, $"-0x8000000000000000 {op} -1 overflows 64 bits", b.Offset, b.Length);
                }

                // Both truncate toward zero, as C does.
                result = op == "/" ? a / c : a % c;
                break;

            // GNU as shifts the 64-bit value as unsigned (>> brings in zeros), and a count outside 0..63 gives 0.
            case "<<": result = c >= 64 || c < 0 ? 0 : a << (int)c; break;
            case ">>": result = c >= 64 || c < 0 ? 0 : (long)((ulong)a >> (int)c); break;
            case "|": result = a | c; break;
            case "&": result = a & c; break;
            case "^": result = a ^ c; break;
            case "!": result = a | ~c; break;

            // GAS comparisons yield -1 for true.
            case "==": result = a == c ? -1 : 0; break;
            case "!=":
            case "<>": result = a != c ? -1 : 0; break;
            case "<": result = a < c ? -1 : 0; break;
            case ">": result = a > c ? -1 : 0; break;
            case "<=": result = a <= c ? -1 : 0; break;
            case ">=": result = a >= c ? -1 : 0; break;
            case "&&": result = a != 0 && c != 0 ? 1 : 0; break;
            case "||": result = a != 0 || c != 0 ? 1 : 0; break;
            default: throw new SyntaxException(DiagnosticIds.SyntaxError, $"unknown operator '{op}'", b.Offset, b.Length);
        }

        return new Value(result, true, relocatable, symbol, linear);
    }

    private bool SameFragment(string? a, string? b) =>
        a != null && b != null
        && symbols.TryGetValue(a, out var sa) && symbols.TryGetValue(b, out var sb)
        && sa.Kind == AsmSymbolKind.Label && sb.Kind == AsmSymbolKind.Label
        && sa.Fragment != null && ReferenceEquals(sa.Fragment, sb.Fragment);

    /// <summary>Names as the user wrote them (declaration-local names carry a hidden suffix).</summary>
    /// <summary>Registers compared with == or != (true is -1, as GNU as's comparisons give).</summary>
    private static Value CompareRegisters(BinaryExpression b)
    {
        bool equal = b.Left is RegisterExpression l && b.Right is RegisterExpression r && l.Register == r.Register;
        return b.Operator switch
        {
            "==" => Value.Constant(equal ? -1 : 0),
            "!=" or "<>" => Value.Constant(equal ? 0 : -1),
            _ => throw new SyntaxException(DiagnosticIds.SyntaxError, $"registers can only be compared with == or != (not '{b.Operator}')", b.Offset, b.Length),
        };
    }

    public static string Display(string name)
    {
        int at = name.IndexOf('\u0001');
        return at >= 0 ? name.Substring(0, at) : name;
    }
}
