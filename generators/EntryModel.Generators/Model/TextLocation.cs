namespace EntryModel.Generators.Model;

/// <summary>
/// Maps offsets in a string literal's value back to offsets in its C# file. <see cref="ValueToSource"/>
/// holds, for each value offset, the source offset of that character (one extra entry for the end).
/// An empty map means the literal could not be mapped and the whole literal span is used.
/// <see cref="FileLines"/> holds the 1-based file line of each line of the value.
/// </summary>
/// <remarks>
/// <see cref="FirstLineIndex"/> and <see cref="LineStarts"/> record where the file lines the literal
/// touches begin, so a file offset inside the literal becomes a (line, column) pair without the
/// syntax tree: the generator builds precise locations from these values alone.
/// </remarks>
internal sealed record TextLocation(string FilePath, int LiteralStart, int LiteralLength, EquatableArray<int> ValueToSource, EquatableArray<int> FileLines)
{
    public static TextLocation None { get; } = new(string.Empty, 0, 0, EquatableArray<int>.Empty, EquatableArray<int>.Empty);

    /// <summary>0-based file line of <c>LineStarts[0]</c>: the line the literal starts on.</summary>
    public int FirstLineIndex { get; init; }

    /// <summary>File offset of the start of each file line from the literal's first line to its last.</summary>
    public EquatableArray<int> LineStarts { get; init; } = EquatableArray<int>.Empty;

    /// <summary>
    /// Whether the value is the file's text itself (a <c>[GasFile]</c>): value offset N is file offset
    /// <c>LiteralStart + N</c>, with no per-character map to hold.
    /// </summary>
    public bool Verbatim { get; init; }

    /// <summary>Whether this location points into a file at all.</summary>
    public bool IsKnown => FilePath.Length > 0 || LiteralLength > 0;

    /// <summary>The file line of a (0-based) line of the value, or 0 when unknown.</summary>
    public int FileLineOf(int valueLine) => valueLine >= 0 && valueLine < FileLines.Count ? FileLines[valueLine] : 0;

    /// <summary>Maps a span of the value to a span of the file (start, length).</summary>
    public (int Start, int Length) Map(int valueOffset, int valueLength)
    {
        if (Verbatim)
        {
            return (LiteralStart + valueOffset, valueLength);
        }

        if (ValueToSource.Count == 0)
        {
            return (LiteralStart, LiteralLength);
        }

        int last = ValueToSource.Count - 1;
        int start = ValueToSource[Clamp(valueOffset, 0, last)];
        int end = ValueToSource[Clamp(valueOffset + valueLength, 0, last)];
        return (start, end < start ? 0 : end - start);
    }

    /// <summary>
    /// Like <see cref="Map"/>, but the result always lies inside the literal, whatever offsets the
    /// caller passes (a diagnostic must never point outside the text it is about).
    /// </summary>
    public (int Start, int Length) MapInside(int valueOffset, int valueLength)
    {
        var (start, length) = Map(valueOffset, valueLength < 0 ? 0 : valueLength);
        int literalEnd = LiteralStart + LiteralLength;
        start = Clamp(start, LiteralStart, literalEnd);
        int end = Clamp(start + length, start, literalEnd);
        return (start, end - start);
    }

    /// <summary>The 0-based (line, column) of a file offset inside the literal's lines.</summary>
    public (int Line, int Column) PositionOf(int fileOffset)
    {
        if (LineStarts.Count == 0)
        {
            return (FirstLineIndex, 0);
        }

        int lo = 0, hi = LineStarts.Count - 1, found = 0;
        while (lo <= hi)
        {
            int mid = (lo + hi) >> 1;
            if (LineStarts[mid] <= fileOffset)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        int column = fileOffset - LineStarts[found];
        return (FirstLineIndex + found, column < 0 ? 0 : column);
    }

    private static int Clamp(int v, int lo, int hi) => v < lo ? lo : v > hi ? hi : v;
}
