namespace EntryModel.Generators.Encoding;

/// <summary>
/// Where a statement being assembled came from: its declaration, offset and text there, and the
/// macros it was expanded through. <see cref="Exact"/> is false when macro arguments were
/// substituted into the text, so offsets inside it no longer match the source.
/// </summary>
internal sealed class SourceRef
{
    public SourceRef(int declaration, int offset, string text, int line, string macroStack, bool exact)
    {
        Declaration = declaration;
        Offset = offset;
        Text = text;
        Line = line;
        MacroStack = macroStack;
        Exact = exact;
    }

    public int Declaration { get; }

    public int Offset { get; }

    public string Text { get; }

    public int Line { get; }

    public string MacroStack { get; }

    public bool Exact { get; }
}
