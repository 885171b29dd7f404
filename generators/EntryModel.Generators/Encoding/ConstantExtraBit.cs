using EntryModel.Generators.Syntax;

namespace EntryModel.Generators.Encoding;

/// <summary>
/// GNU as's 65th bit of a constant (X_extrabit): a literal, like a symbol's value, is never negative,
/// so 0x8000000000000000 is 2^63 (and a symbol set to -1 is 2^64 - 1); negation, + and - carry into
/// the bit as 65-bit arithmetic would; any other operator keeps its left operand's bit. Only
/// <c>.sleb128</c> reads it: a constant whose 64-bit sign differs from that bit is written as the
/// wider number it stands for.
/// </summary>
internal static class ConstantExtraBit
{
    /// <summary>The bit of <paramref name="e"/>, an expression that evaluates to an absolute constant.</summary>
    public static bool Of(Expression e, ExpressionEvaluator evaluator) => Wide(e, evaluator).Extra;

    private static (long Number, bool Extra) Wide(Expression e, ExpressionEvaluator evaluator)
    {
        switch (e)
        {
            case NumberExpression n:
                return (n.Value, false);
            case UnaryExpression { Operator: '+' } plus:
                return Wide(plus.Operand, evaluator);
            case UnaryExpression { Operator: '-' } minus:
                return Negate(Wide(minus.Operand, evaluator));
            case BinaryExpression { Operator: "+" or "-" } b:
                {
                    var l = Wide(b.Left, evaluator);
                    var r = Wide(b.Right, evaluator);
                    if (b.Operator == "-")
                    {
                        r = Negate(r);
                    }

                    long sum = unchecked(l.Number + r.Number);
                    bool carry = unchecked((ulong)sum < (ulong)l.Number);
                    return (sum, l.Extra ^ r.Extra ^ carry);
                }

            case BinaryExpression b:
                return (evaluator.Evaluate(b).Number, Wide(b.Left, evaluator).Extra);
            case SymbolExpression:
                return (evaluator.Evaluate(e).Number, false);
            default:
                {
                    long v = evaluator.Evaluate(e).Number;
                    return (v, v < 0);
                }
        }
    }

    private static (long Number, bool Extra) Negate((long Number, bool Extra) v) => (unchecked(-v.Number), v.Extra ^ (v.Number != 0));
}
