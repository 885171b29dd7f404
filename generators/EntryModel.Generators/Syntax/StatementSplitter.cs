using System.Collections.Generic;
using System.Text;
using EntryModel.Generators.Diagnostics;
using EntryModel.Generators.Model;

namespace EntryModel.Generators.Syntax;

/// <summary>
/// Splits GAS text into statements: removes <c># ...</c> and <c>/* ... */</c> comments, splits at
/// newlines and <c>;</c> outside strings, keeps each statement's offset and line. Lines starting with
/// a C-preprocessor conditional (<c>#ifdef</c>, <c>#if</c>, <c>#else</c>, ...) are kept as statements,
/// since kernel entry code is written that way.
/// </summary>
internal static class StatementSplitter
{
    private static readonly string[] CppDirectives = { "#ifdef", "#ifndef", "#if", "#elif", "#else", "#endif" };

    public static ParsedDeclaration Split(SourceDeclaration declaration)
    {
        var diagnostics = new List<AsmDiagnostic>();
        var statements = Split(declaration.Text, 0, diagnostics);
        return new ParsedDeclaration(declaration, new EquatableArray<GasStatement>(statements), new EquatableArray<AsmDiagnostic>(diagnostics));
    }

    /// <summary>Splits <paramref name="text"/>; diagnostics name declaration <paramref name="declarationIndex"/>.</summary>
    public static List<GasStatement> Split(string text, int declarationIndex, List<AsmDiagnostic> diagnostics)
    {
        var result = new List<GasStatement>();
        var current = new StringBuilder();
        int start = -1;
        int line = 0;
        int startLine = 0;
        int i = 0;
        bool atLineStart = true;

        void Flush()
        {
            if (start >= 0)
            {
                string s = current.ToString().TrimEnd();
                if (s.Length > 0)
                {
                    result.Add(new GasStatement(start, s, startLine));
                }
            }

            current.Clear();
            start = -1;
        }

        while (i < text.Length)
        {
            char c = text[i];
            if (atLineStart && c == '#')
            {
                string? cpp = MatchCpp(text, i);
                if (cpp != null)
                {
                    Flush();
                    int end = i;
                    while (end < text.Length && text[end] != '\n')
                    {
                        end++;
                    }

                    // Drop a trailing comment of the directive line.
                    string body = text.Substring(i, end - i);
                    int cm = body.IndexOf("/*", System.StringComparison.Ordinal);
                    if (cm >= 0)
                    {
                        body = body.Substring(0, cm);
                    }

                    result.Add(new GasStatement(i, body.TrimEnd(), line));
                    i = end;
                    continue;
                }
            }

            switch (c)
            {
                case '\n':
                    Flush();
                    line++;
                    atLineStart = true;
                    i++;
                    continue;
                case '\r':
                    i++;
                    continue;
                case ';':
                    Flush();
                    i++;
                    continue;
                case '#':
                    // A comment to the end of the line.
                    while (i < text.Length && text[i] != '\n')
                    {
                        i++;
                    }

                    continue;
                case '/' when i + 1 < text.Length && text[i + 1] == '*':
                    {
                        int close = text.IndexOf("*/", i + 2, System.StringComparison.Ordinal);
                        if (close < 0)
                        {
                            diagnostics.Add(new AsmDiagnostic(DiagnosticIds.SyntaxError, "unterminated /* comment", declarationIndex, i, 2));
                            close = text.Length - 2;
                        }

                        for (int k = i; k < close + 2 && k < text.Length; k++)
                        {
                            if (text[k] == '\n')
                            {
                                line++;
                            }
                        }

                        // A comment separates tokens like a space does.
                        if (start >= 0)
                        {
                            current.Append(' ');
                        }

                        i = close + 2;
                        continue;
                    }

                case '"':
                case '\'':
                    {
                        if (start < 0)
                        {
                            start = i;
                            startLine = line;
                        }

                        if (c == '\'')
                        {
                            // 'c is a character constant (optionally closed: 'c').
                            int n = i + 1 < text.Length && text[i + 1] == '\\' ? 3 : 2;
                            if (i + n < text.Length && text[i + n] == '\'')
                            {
                                n++;
                            }

                            n = System.Math.Min(n, text.Length - i);
                            current.Append(text, i, n);
                            i += n;
                            atLineStart = false;
                            continue;
                        }

                        int j = i + 1;
                        while (j < text.Length && text[j] != c && text[j] != '\n')
                        {
                            j += text[j] == '\\' && j + 1 < text.Length ? 2 : 1;
                        }

                        if (j >= text.Length || text[j] != c)
                        {
                            diagnostics.Add(new AsmDiagnostic(DiagnosticIds.SyntaxError, "unterminated string", declarationIndex, i, j - i));
                            current.Append(text, i, j - i);
                            i = j;
                            continue;
                        }

                        current.Append(text, i, j - i + 1);
                        i = j + 1;
                        atLineStart = false;
                        continue;
                    }
            }

            if (start < 0)
            {
                if (c == ' ' || c == '\t')
                {
                    i++;
                    continue;
                }

                start = i;
                startLine = line;
            }

            atLineStart = atLineStart && (c == ' ' || c == '\t');
            current.Append(c == '\t' ? ' ' : c);
            i++;
        }

        Flush();
        return result;
    }

    /// <summary>
    /// Substituted text split where GNU as would split it when it reads the expansion again: at
    /// <c>;</c> and newlines outside strings. Null when it is one statement (the common case).
    /// </summary>
    public static List<string>? SplitSubstituted(string text)
    {
        if (text.IndexOf(';') < 0 && text.IndexOf('\n') < 0)
        {
            return null;
        }

        List<string>? pieces = null;
        int start = 0;
        bool inString = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inString = false;
                }

                continue;
            }

            if (c == '"')
            {
                inString = true;
            }
            else if (c == '\'' && i + 1 < text.Length)
            {
                // A character constant: its character is not a separator.
                i += text[i + 1] == '\\' ? 2 : 1;
            }
            else if (c == ';' || c == '\n')
            {
                (pieces ??= new List<string>()).Add(text.Substring(start, i - start).Trim());
                start = i + 1;
            }
        }

        if (pieces == null)
        {
            return null;
        }

        pieces.Add(text.Substring(start).Trim());
        pieces.RemoveAll(p => p.Length == 0);
        return pieces;
    }

    private static string? MatchCpp(string text, int i)
    {
        foreach (var d in CppDirectives)
        {
            if (string.CompareOrdinal(text, i, d, 0, d.Length) == 0)
            {
                int after = i + d.Length;
                if (after >= text.Length || text[after] == ' ' || text[after] == '\t' || text[after] == '\n' || text[after] == '\r' || text[after] == '(')
                {
                    return d;
                }
            }
        }

        return null;
    }
}
