using System.Collections.Generic;
using System.Text;
using EntryModel.Generators.Diagnostics;
using EntryModel.Generators.Syntax;

namespace EntryModel.Generators.Expansion;

/// <summary>
/// Substitutes <c>\param</c>, <c>\@</c> and <c>\()</c> into body text and unquotes argument values,
/// as GNU as does (<see cref="MacroCallArguments"/> splits a call's arguments).
/// </summary>
internal static class MacroArguments
{
    /// <summary>
    /// An argument's value as GNU as passes it: a quoted argument loses its quotes (a doubled quote
    /// inside stands for one; backslashes stay), so <c>"call foo; movq %rax, %rdi"</c> becomes two
    /// statements once substituted and <c>""</c> an empty one.
    /// </summary>
    public static string Unquote(string argument)
    {
        if (argument.Length < 2 || argument[0] != '"')
        {
            return argument;
        }

        var sb = new StringBuilder(argument.Length);
        int i = 0;
        // Adjacent quoted pieces join ("a""b" is a"b, as GAS reads a doubled quote).
        while (i < argument.Length && argument[i] == '"')
        {
            i++;
            bool escaped = false;
            while (i < argument.Length)
            {
                char c = argument[i];
                if (c == '"' && !escaped)
                {
                    i++;
                    if (i < argument.Length && argument[i] == '"')
                    {
                        sb.Append('"');
                        i++;
                        continue;
                    }

                    break;
                }

                escaped = c == '\\' && !escaped;
                sb.Append(c);
                i++;
            }
        }

        // A tab inside the quotes separates like a blank (the splitter turned the others into blanks).
        sb.Replace('\t', ' ');

        // Text after the closing quote stays (GAS would start another argument there).
        if (i < argument.Length)
        {
            sb.Append(argument, i, argument.Length - i);
        }

        return sb.ToString();
    }

    /// <summary>
    /// The names that <c>.irp</c>/<c>.irpc</c> blocks inside <paramref name="body"/> bind: a macro's
    /// substitution leaves <c>\name</c> of those for the block to replace, as GNU as does.
    /// </summary>
    public static HashSet<string>? InnerParameters(IEnumerable<GasStatement> body)
    {
        HashSet<string>? names = null;
        foreach (var s in body)
        {
            string t = s.Text;
            int i = 0;
            while (i < t.Length && t[i] == ' ')
            {
                i++;
            }

            bool irp = string.CompareOrdinal(t, i, ".irp ", 0, 5) == 0;
            bool irpc = string.CompareOrdinal(t, i, ".irpc ", 0, 6) == 0;
            if (!irp && !irpc)
            {
                continue;
            }

            int j = i + (irp ? 5 : 6);
            while (j < t.Length && t[j] == ' ')
            {
                j++;
            }

            int k = j;
            while (k < t.Length && (char.IsLetterOrDigit(t[k]) || t[k] == '_'))
            {
                k++;
            }

            if (k > j)
            {
                (names ??= new HashSet<string>(System.StringComparer.Ordinal)).Add(t.Substring(j, k - j));
            }
        }

        return names;
    }

    /// <summary>
    /// Replaces <c>\name</c> with its value, <c>\@</c> with <paramref name="counter"/> and <c>\()</c> with
    /// nothing. An unknown <c>\name</c> outside a string throws (EM0006), unless an inner block binds
    /// it (<paramref name="inner"/>): then it stays for that block.
    /// </summary>
    public static string Substitute(string text, IReadOnlyDictionary<string, string> values, int counter, string macroName, ISet<string>? inner = null)
    {
        if (text.IndexOf('\\') < 0)
        {
            return text;
        }

        var sb = new StringBuilder(text.Length + 16);
        bool inString = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '"')
            {
                inString = !inString;
            }

            if (c != '\\' || i + 1 >= text.Length)
            {
                sb.Append(c);
                continue;
            }

            char n = text[i + 1];
            if (n == '@')
            {
                sb.Append(counter);
                i++;
                continue;
            }

            if (n == '(' && i + 2 < text.Length && text[i + 2] == ')')
            {
                i += 2;
                continue;
            }

            if (char.IsLetter(n) || n == '_')
            {
                int j = i + 1;
                while (j < text.Length && (char.IsLetterOrDigit(text[j]) || text[j] == '_'))
                {
                    j++;
                }

                string name = text.Substring(i + 1, j - i - 1);
                if (values.TryGetValue(name, out var value))
                {
                    sb.Append(value);
                    i = j - 1;
                    continue;
                }

                if (inner != null && inner.Contains(name))
                {
                    sb.Append(text, i, j - i);
                    i = j - 1;
                    continue;
                }

                if (!inString)
                {
                    throw new SyntaxException(DiagnosticIds.UnknownMacroParameter, $"'\\{name}' is not a parameter of macro '{macroName}'", i, j - i);
                }
            }

            if (inString && n == '"')
            {
                sb.Append(c).Append(n);
                i++;
                continue;
            }

            sb.Append(c);
        }

        return sb.ToString();
    }
}
