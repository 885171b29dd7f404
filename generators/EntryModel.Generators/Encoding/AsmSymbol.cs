using EntryModel.Generators.Expansion;
using EntryModel.Generators.Syntax;

namespace EntryModel.Generators.Encoding;

internal enum AsmSymbolKind
{
    /// <summary>A place in a fragment.</summary>
    Label,

    /// <summary>An absolute constant known when defined.</summary>
    Absolute,

    /// <summary>An expression evaluated when needed (may involve labels).</summary>
    Expression,
}

/// <summary>A symbol of the assembler's symbol table (labels, <c>.set</c> constants, strategy defines).</summary>
internal sealed class AsmSymbol
{
    public AsmSymbol(string name, AsmSymbolKind kind, SourceRef? source)
    {
        Name = name;
        Kind = kind;
        Source = source;
    }

    public string Name { get; }

    public AsmSymbolKind Kind { get; set; }

    public SourceRef? Source { get; }

    public Fragment? Fragment { get; set; }

    public LabelItem? Label { get; set; }

    public long Value { get; set; }

    public Expression? Expression { get; set; }

    /// <summary>For an <see cref="AsmSymbolKind.Expression"/> from <c>.set</c>: the key of this assignment, which later ones do not replace.</summary>
    public string? AssignmentKey { get; set; }

    /// <summary>For an expression symbol: how deep evaluating it goes through its tree and the assignments it names.</summary>
    public int ChainDepth { get; set; }

    /// <summary>Whether the label appears in the image's symbol table (not .L or numeric).</summary>
    public bool Visible { get; set; }

    /// <summary>The runtime SymbolKind given by <c>.type</c>, or -1.</summary>
    public int TypeKind { get; set; } = -1;

    /// <summary>A size given by <c>.size</c>.</summary>
    public Expression? SizeExpression { get; set; }

    public SourceRef? SizeSource { get; set; }

    public bool Evaluating { get; set; }

    /// <summary>Where the label's name starts in its statement (for diagnostics about it).</summary>
    public int NameOffset { get; set; } = -1;
}
