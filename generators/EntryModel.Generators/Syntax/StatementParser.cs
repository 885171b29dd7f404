using System;
using System.Collections.Generic;

namespace EntryModel.Generators.Syntax;

/// <summary>
/// Gives each statement its syntax, parsing each text once. A statement the splitter made keeps its
/// parse on itself (every object and strategy that runs it reuses it, and so does the next
/// incremental run while its declaration is unchanged); a statement that macro substitution made is
/// new text, parsed as GNU as reads it again, but the same text made again in this run (a macro
/// called twice with the same arguments) reuses the first parse.
/// </summary>
internal sealed class StatementParser
{
    // Texts with \@ differ on every expansion: past this many, new texts are parsed without being
    // kept, so a runaway expansion cannot grow the cache beyond a bound.
    private const int MaxKeptTexts = 1 << 16;

    private readonly Dictionary<string, StatementSyntax> byText = new Dictionary<string, StatementSyntax>(StringComparer.Ordinal);

    /// <summary>How many statement texts this parser has parsed (tests: a statement is parsed once).</summary>
    public int Parses { get; private set; }

    public StatementSyntax Parse(GasStatement statement) => statement.Syntax ?? statement.Attach(Parse(statement.Text));

    private StatementSyntax Parse(string text)
    {
        if (byText.TryGetValue(text, out var known))
        {
            return known;
        }

        Parses++;
        var parsed = new StatementSyntax(text);
        if (byText.Count < MaxKeptTexts)
        {
            byText[text] = parsed;
        }

        return parsed;
    }
}
