using System.Threading;

namespace EntryModel.Generators.Syntax;

/// <summary>
/// One statement of GAS text: comments removed, split at newlines and ';'. <see cref="Offset"/> is
/// where <see cref="Text"/> starts in the declaration's string value; <see cref="Line"/> is 0-based.
/// </summary>
internal sealed record GasStatement(int Offset, string Text, int Line)
{
    private StatementSyntax? syntax;

    // A copy ('with') may say something else: it starts unparsed.
    private GasStatement(GasStatement original)
    {
        Offset = original.Offset;
        Text = original.Text;
        Line = original.Line;
    }

    /// <summary>
    /// The statement parsed, once it has been (<see cref="StatementParser"/>). A function of
    /// <see cref="Text"/> alone, so it takes no part in equality: the incremental pipeline compares
    /// statements by what they say, and a statement it keeps keeps its parse for the next run.
    /// </summary>
    public StatementSyntax? Syntax => Volatile.Read(ref syntax);

    public bool Equals(GasStatement? other) =>
        other is not null && Offset == other.Offset && Line == other.Line && string.Equals(Text, other.Text, System.StringComparison.Ordinal);

    public override int GetHashCode() => unchecked((((Offset * 397) ^ Line) * 397) ^ System.StringComparer.Ordinal.GetHashCode(Text));

    /// <summary>Keeps <paramref name="parsed"/> (of this text) on the statement; a parse that got there first wins, both are the same.</summary>
    internal StatementSyntax Attach(StatementSyntax parsed) => Interlocked.CompareExchange(ref syntax, parsed, null) ?? parsed;
}
