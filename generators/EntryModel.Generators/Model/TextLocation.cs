namespace EntryModel.Generators.Model;

/// <summary>
/// Maps offsets in a string literal's value back to offsets in its C# file. <see cref="ValueToSource"/>
/// holds, for each value offset, the source offset of that character (one extra entry for the end).
/// An empty map means the literal could not be mapped and the whole literal span is used.
/// <see cref="FileLines"/> holds the 1-based file line of each line of the value.
/// </summary>
internal sealed record TextLocation(string FilePath, int LiteralStart, int LiteralLength, EquatableArray<int> ValueToSource, EquatableArray<int> FileLines)
{
    public static TextLocation None { get; } = new(string.Empty, 0, 0, EquatableArray<int>.Empty, EquatableArray<int>.Empty);

    /// <summary>The file line of a (0-based) line of the value, or 0 when unknown.</summary>
    public int FileLineOf(int valueLine) => valueLine >= 0 && valueLine < FileLines.Count ? FileLines[valueLine] : 0;

    /// <summary>Maps a span of the value to a span of the file (start, length).</summary>
    public (int Start, int Length) Map(int valueOffset, int valueLength)
    {
        if (ValueToSource.Count == 0)
        {
            return (LiteralStart, LiteralLength);
        }

        int last = ValueToSource.Count - 1;
        int start = ValueToSource[Clamp(valueOffset, 0, last)];
        int end = ValueToSource[Clamp(valueOffset + valueLength, 0, last)];
        return (start, end < start ? 0 : end - start);
    }

    private static int Clamp(int v, int lo, int hi) => v < lo ? lo : v > hi ? hi : v;
}
