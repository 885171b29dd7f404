namespace EntryModel.Generators.Expansion;

/// <summary>
/// Where a statement being assembled came from: its declaration, offset and text there, and the
/// macros it was expanded through. <see cref="Exact"/> is false when macro arguments were
/// substituted into the text, so offsets inside it no longer match the source.
/// </summary>
internal sealed class SourceRef
{
    public SourceRef(int declaration, int offset, string text, int line, string macroStack, bool exact, int spanLength = -1)
    {
        Declaration = declaration;
        Offset = offset;
        Text = text;
        Line = line;
        MacroStack = macroStack;
        Exact = exact;
        SpanLength = spanLength >= 0 ? spanLength : text.Length;
    }

    /// <summary>
    /// How long the statement is in its declaration: the text's length when exact; a substituted
    /// text may be longer or shorter than the statement it came from.
    /// </summary>
    public int SpanLength { get; }

    public int Declaration { get; }

    public int Offset { get; }

    public string Text { get; }

    public int Line { get; }

    public string MacroStack { get; }

    public bool Exact { get; }
}
