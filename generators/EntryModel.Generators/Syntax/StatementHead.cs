namespace EntryModel.Generators.Syntax;

/// <summary>
/// A statement's first word as block structure reads it (<c>.macro</c>, <c>.rept</c>, <c>.if</c>,
/// <c>.endr</c>, ...): up to the first blank or tab, labels included, and lower-cased when it is a
/// directive or a <c>#</c>-conditional (instructions, most statements, keep their spelling).
/// </summary>
internal readonly struct StatementHead
{
    public StatementHead(string text)
    {
        int i = 0;
        while (i < text.Length && text[i] != ' ' && text[i] != '\t')
        {
            i++;
        }

        End = i;
        string word = text.Substring(0, i);
        Keyword = word.Length > 0 && (word[0] == '.' || word[0] == '#') ? word.ToLowerInvariant() : word;
    }

    public string Keyword { get; }

    /// <summary>Where the first word ends: a directive's arguments start here.</summary>
    public int End { get; }
}
