namespace EntryModel.Generators.Syntax;

/// <summary>
/// The <c>name, value</c> arguments of <c>.set</c>/<c>.equ</c>/<c>.equiv</c> and <c>.size</c>: the
/// name as written before the first comma (<see cref="NameOffset"/>: where it starts past blanks) and
/// where the value's expression starts.
/// </summary>
internal sealed class NamedValueSyntax
{
    private NamedValueSyntax(string name, int nameOffset, int valueStart)
    {
        Name = name;
        NameOffset = nameOffset;
        ValueStart = valueStart;
    }

    public string Name { get; }

    public int NameOffset { get; }

    public int ValueStart { get; }

    /// <summary>The name and value from <paramref name="start"/>; null when there is no comma.</summary>
    public static NamedValueSyntax? Parse(string text, int start)
    {
        int comma = text.IndexOf(',', start);
        if (comma < 0)
        {
            return null;
        }

        int nameOffset = start;
        while (nameOffset < text.Length && text[nameOffset] == ' ')
        {
            nameOffset++;
        }

        return new NamedValueSyntax(text.Substring(start, comma - start), nameOffset, comma + 1);
    }
}
