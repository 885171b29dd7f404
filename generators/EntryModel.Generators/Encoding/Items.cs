using EntryModel.Generators.Expansion;
using System.Collections.Generic;
using EntryModel.Generators.Syntax;
using Iced.Intel;

namespace EntryModel.Generators.Encoding;

/// <summary>
/// One thing laid out in a fragment: an instruction, data, a fill, an alignment or an <c>.org</c>.
/// Sizes may change while the layout converges (branch relaxation, alignment).
/// </summary>
internal abstract class Item
{
    protected Item(SourceRef source) => Source = source;

    public SourceRef Source { get; }

    /// <summary>Offset from the start of the fragment (set by the layout).</summary>
    public long Offset { get; set; }

    public int Size { get; set; }

    /// <summary>
    /// How many alignments and <c>.org</c>s precede it in its fragment (GNU as's relaxation region):
    /// growth before a forward branch is assumed to move its target only when no alignment between
    /// them could absorb it.
    /// </summary>
    public int Region { get; set; }
}

/// <summary>An instruction whose form (Iced code) has been chosen; operands are evaluated at layout time.</summary>
internal sealed class InstructionItem : Item
{
    public InstructionItem(SourceRef source, Code code, List<Operand> operands)
        : base(source)
    {
        Code = code;
        Operands = operands;
    }

    public Code Code { get; set; }

    /// <summary>Intel-ordered operands.</summary>
    public List<Operand> Operands { get; }

    /// <summary>The near form of a relaxable short branch; None when not relaxable.</summary>
    public Code NearCode { get; set; } = Code.INVALID;

    /// <summary>Scratch for operand values while encoding (reused across layout passes).</summary>
    public Value?[]? Values { get; set; }

    /// <summary>The fragment the instruction is in.</summary>
    public Fragment? Owner { get; set; }

    public bool HasLock { get; set; }

    public bool HasRep { get; set; }

    public bool HasRepne { get; set; }

    /// <summary>
    /// The encoding, when it cannot depend on where the instruction lands or on any label (no branch,
    /// no RIP-relative operand, only constants): encoded once instead of on every layout pass.
    /// </summary>
    public byte[]? StableBytes { get; set; }

    /// <summary>For string instructions (no explicit operands): builds the Iced instruction.</summary>
    public System.Func<Instruction>? Factory { get; set; }
}

/// <summary><c>.byte/.word/.long/.quad</c>: a list of expressions of one unit size.</summary>
internal sealed class DataItem : Item
{
    public DataItem(SourceRef source, int unit, List<Expression> values)
        : base(source)
    {
        Unit = unit;
        Values = values;
        Size = unit * values.Count;
    }

    public int Unit { get; }

    public List<Expression> Values { get; }
}

/// <summary>
/// <c>.uleb128</c>/<c>.sleb128</c>: numbers whose size is their value's, which may be a distance
/// between labels the layout has yet to settle (GNU as's rs_leb128 fragment): sized every pass.
/// </summary>
internal sealed class LebItem : Item
{
    public LebItem(SourceRef source, bool signed, List<Expression> values, int valuesOffset, int valuesLength)
        : base(source)
    {
        Signed = signed;
        Values = values;
        ValuesOffset = valuesOffset;
        ValuesLength = valuesLength;
        Size = values.Count;
    }

    public bool Signed { get; }

    public List<Expression> Values { get; }

    /// <summary>Where the values are written in the statement (what a problem with all of them points at).</summary>
    public int ValuesOffset { get; }

    public int ValuesLength { get; }
}

/// <summary>Literal bytes (<c>.ascii</c>, prefixes written alone).</summary>
internal sealed class BytesItem : Item
{
    public BytesItem(SourceRef source, byte[] bytes)
        : base(source)
    {
        Bytes = bytes;
        Size = bytes.Length;
    }

    public byte[] Bytes { get; }
}

/// <summary><c>.skip</c>/<c>.fill</c>: a repeated pattern of known size.</summary>
internal sealed class FillItem : Item
{
    public FillItem(SourceRef source, int count, int unit, long value)
        : base(source)
    {
        Count = count;
        Unit = unit;
        Value = value;
        Size = count * unit;
    }

    /// <summary>The repeat count; for a <see cref="CountExpression"/>, what the layout's last pass made of it.</summary>
    public int Count { get; set; }

    public int Unit { get; }

    public long Value { get; }

    /// <summary>A count that depends on where labels land, evaluated by every layout pass (null: <see cref="Count"/> is fixed).</summary>
    public Expression? CountExpression { get; set; }
}

/// <summary><c>.p2align</c>/<c>.balign</c>: pads to an alignment (NOPs in code, the fill byte elsewhere).</summary>
internal sealed class AlignItem : Item
{
    public AlignItem(SourceRef source, int alignment, int? fill, int maxSkip)
        : base(source)
    {
        Alignment = alignment;
        Fill = fill;
        MaxSkip = maxSkip;
    }

    public int Alignment { get; }

    public int? Fill { get; }

    public int MaxSkip { get; }

    /// <summary>Fill GNU as adds after the padding to stop a LEB128 bouncing (see <see cref="LebBounce"/>): 0, or the alignment.</summary>
    public int Extra { get; set; }
}

/// <summary><c>.org</c>: moves to an offset from the fragment's start, filling the gap.</summary>
internal sealed class OrgItem : Item
{
    public OrgItem(SourceRef source, Expression target, int fill)
        : base(source)
    {
        Target = target;
        Fill = fill;
    }

    public Expression Target { get; }

    public int Fill { get; }
}

/// <summary>A label: defines a symbol at its place in the fragment.</summary>
internal sealed class LabelItem : Item
{
    public LabelItem(SourceRef source, string name)
        : base(source) => Name = name;

    public string Name { get; }

    /// <summary>The layout pass that last placed it: a label not placed yet this pass lies ahead.</summary>
    public int Pass { get; set; } = -1;
}
