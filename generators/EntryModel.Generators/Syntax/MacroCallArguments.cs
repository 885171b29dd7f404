using System.Collections.Generic;
using System.Text;

namespace EntryModel.Generators.Syntax;

/// <summary>
/// Splits a macro invocation's arguments (and a <c>.macro</c> header's or an <c>.irp</c>'s list):
/// commas or blanks separate them, as in GAS; blanks next to an operator do not.
/// </summary>
internal static class MacroCallArguments
{
    private const string Operators = "+-*/|&^<>=~!";

    /// <summary>Argument texts with their offsets in <paramref name="text"/>.</summary>
    public static IReadOnlyList<(string Text, int Offset)> Split(string text, int start)
    {
        var result = new List<(string, int)>();
        int i = start;
        while (i < text.Length && text[i] == ' ')
        {
            i++;
        }

        if (i >= text.Length)
        {
            return result;
        }

        var current = new StringBuilder();
        int argStart = i;
        int depth = 0;
        bool pendingComma = false;
        while (i < text.Length)
        {
            char c = text[i];
            if (c == '"')
            {
                int j = i + 1;
                while (j < text.Length && text[j] != '"')
                {
                    j += text[j] == '\\' ? 2 : 1;
                }

                j = System.Math.Min(j + 1, text.Length);
                current.Append(text, i, j - i);
                i = j;
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

            if (depth <= 0 && c == ',')
            {
                result.Add((current.ToString(), argStart));
                current.Clear();
                i++;
                while (i < text.Length && text[i] == ' ')
                {
                    i++;
                }

                argStart = i;
                pendingComma = true;
                continue;
            }

            if (depth <= 0 && c == ' ')
            {
                int j = i;
                while (j < text.Length && text[j] == ' ')
                {
                    j++;
                }

                char prev = current.Length > 0 ? current[current.Length - 1] : ',';
                char next = j < text.Length ? text[j] : ',';
                bool joins = Operators.IndexOf(prev) >= 0 || Operators.IndexOf(next) >= 0 || next == ',';
                if (!joins && current.Length > 0)
                {
                    result.Add((current.ToString(), argStart));
                    current.Clear();
                    argStart = j;
                    pendingComma = false;
                }
                else if (joins && next != ',' && current.Length > 0)
                {
                    current.Append(' ');
                }

                i = j;
                continue;
            }

            current.Append(c);
            pendingComma = false;
            i++;
        }

        if (current.Length > 0 || pendingComma)
        {
            result.Add((current.ToString(), argStart));
        }

        return result;
    }
}
