using Iced.Intel;

namespace EntryModel.Generators.Syntax;

internal enum OperandKind
{
    Register,
    Immediate,
    Memory,
}

/// <summary>
/// An AT&amp;T operand: <c>%reg</c>, <c>$expr</c>, or memory <c>seg:disp(base,index,scale)</c>;
/// <see cref="Indirect"/> marks the <c>*</c> of an indirect jump or call.
/// </summary>
internal sealed class Operand
{
    public OperandKind Kind { get; set; }

    public Register Register { get; set; }

    /// <summary>The immediate's value, or the memory operand's displacement (null: none).</summary>
    public Expression? Value { get; set; }

    public Register Base { get; set; }

    public Register Index { get; set; }

    public int Scale { get; set; } = 1;

    public Register Segment { get; set; }

    public bool Indirect { get; set; }

    /// <summary>Offset of the operand in its statement's text.</summary>
    public int Offset { get; set; }

    public int Length { get; set; }

    /// <summary>This operand with <paramref name="value"/> in place of its value: a parsed operand is shared and never changed.</summary>
    public Operand WithValue(Expression? value) => new Operand
    {
        Kind = Kind,
        Register = Register,
        Value = value,
        Base = Base,
        Index = Index,
        Scale = Scale,
        Segment = Segment,
        Indirect = Indirect,
        Offset = Offset,
        Length = Length,
    };

    public bool IsRipRelative => Kind == OperandKind.Memory && Base == Register.RIP;
}
