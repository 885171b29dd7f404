using System.Collections.Generic;
using EntryModel.Generators.Diagnostics;

namespace EntryModel.Generators.Syntax;

/// <summary>A directive's comma-separated arguments, as spans of its statement's text.</summary>
internal static class DirectiveArguments
{
    /// <summary>Argument spans (start, end) at top level: commas inside parentheses or strings do not split.</summary>
    public static IReadOnlyList<(int Start, int End)> Split(string text, int start)
    {
        var result = new List<(int Start, int End)>();
        int depth = 0;
        int begin = start;
        bool inString = false;
        for (int i = start; i <= text.Length; i++)
        {
            char c = i < text.Length ? text[i] : ',';
            if (c == '"' && i < text.Length)
            {
                inString = !inString;
            }

            if (inString)
            {
                continue;
            }

            if (c == '(')
            {
                depth++;
            }
            else if (c == ')')
            {
                depth--;
            }
            else if (c == ',' && depth <= 0)
            {
                int s = SkipSpaces(text, begin);
                int e = i;
                while (e > s && text[e - 1] == ' ')
                {
                    e--;
                }

                if (!(i == text.Length && s == e && result.Count == 0))
                {
                    result.Add((s, e));
                }

                begin = i + 1;
            }
        }

        if (result.Count == 0)
        {
            throw new SyntaxException(DiagnosticIds.SyntaxError, "argument expected", start, 0);
        }

        return result;
    }

    private static int SkipSpaces(string text, int i)
    {
        while (i < text.Length && text[i] == ' ')
        {
            i++;
        }

        return i;
    }
}
