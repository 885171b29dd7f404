namespace EntryModel.Generators.Syntax;

/// <summary>A GAS expression: numbers, symbols, <c>.</c>, local label references and operators.</summary>
internal abstract class Expression
{
    protected Expression(int offset, int length, int depth = 1)
    {
        Offset = offset;
        Length = length;
        Depth = depth;
    }

    /// <summary>Offset of the expression inside its statement's text.</summary>
    public int Offset { get; }

    public int Length { get; }

    /// <summary>Levels of operators down to the deepest leaf (a leaf is 1): every walk over the tree recurses this deep.</summary>
    public int Depth { get; }
}

internal sealed class NumberExpression : Expression
{
    public NumberExpression(long value, int offset, int length)
        : base(offset, length) => Value = value;

    public long Value { get; }
}

internal sealed class SymbolExpression : Expression
{
    public SymbolExpression(string name, int offset, int length)
        : base(offset, length) => Name = name;

    public string Name { get; }
}

/// <summary>The location counter <c>.</c>.</summary>
internal sealed class DotExpression : Expression
{
    public DotExpression(int offset, int length)
        : base(offset, length)
    {
    }
}

/// <summary>A numeric local label reference: <c>1f</c> (next) or <c>1b</c> (previous).</summary>
internal sealed class LocalLabelExpression : Expression
{
    public LocalLabelExpression(int number, bool forward, int offset, int length)
        : base(offset, length)
    {
        Number = number;
        Forward = forward;
    }

    public int Number { get; }

    public bool Forward { get; }
}

internal sealed class UnaryExpression : Expression
{
    public UnaryExpression(char op, Expression operand, int offset, int length)
        : base(offset, length, operand.Depth + 1)
    {
        Operator = op;
        Operand = operand;
    }

    /// <summary>One of '-', '~', '!', '+'.</summary>
    public char Operator { get; }

    public Expression Operand { get; }
}

internal sealed class BinaryExpression : Expression
{
    public BinaryExpression(string op, Expression left, Expression right, int offset, int length)
        : base(offset, length, System.Math.Max(left.Depth, right.Depth) + 1)
    {
        Operator = op;
        Left = left;
        Right = right;
    }

    public string Operator { get; }

    public Expression Left { get; }

    public Expression Right { get; }
}

/// <summary>
/// A register named in an expression (<c>%rsp</c>): GNU as lets <c>.if</c> compare registers, as
/// kernel macros do (<c>.if \base == %rsp</c>); anywhere else it is an error.
/// </summary>
internal sealed class RegisterExpression : Expression
{
    public RegisterExpression(Iced.Intel.Register register, int offset, int length)
        : base(offset, length) => Register = register;

    public Iced.Intel.Register Register { get; }
}
