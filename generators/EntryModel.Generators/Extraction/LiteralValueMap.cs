using System.Collections.Generic;
using System.Globalization;

namespace EntryModel.Generators.Extraction;

/// <summary>
/// Decodes the source text of a C# string literal token (regular, verbatim or raw) and records, for
/// each character of its value, the file offset of the source character(s) that produced it.
/// The decoded value is compared with the compiler's value: any disagreement means "cannot map"
/// (null) rather than a wrong span.
/// </summary>
internal static class LiteralValueMap
{
    /// <summary>The value-offset to file-offset map (value length + 1 entries), or null.</summary>
    public static int[]? TryBuild(string tokenText, int tokenStart, string expectedValue)
    {
        var map = new List<int>(expectedValue.Length + 1);
        var value = new System.Text.StringBuilder(expectedValue.Length);
        bool ok;
        if (tokenText.StartsWith("\"\"\"", System.StringComparison.Ordinal))
        {
            ok = DecodeRaw(tokenText, tokenStart, value, map);
        }
        else if (tokenText.StartsWith("@\"", System.StringComparison.Ordinal))
        {
            ok = DecodeVerbatim(tokenText, tokenStart, value, map);
        }
        else if (tokenText.StartsWith("\"", System.StringComparison.Ordinal))
        {
            ok = DecodeRegular(tokenText, tokenStart, value, map);
        }
        else
        {
            ok = false;
        }

        if (!ok || map.Count != value.Length + 1 || !string.Equals(value.ToString(), expectedValue, System.StringComparison.Ordinal))
        {
            return null;
        }

        return map.ToArray();
    }

    private static bool DecodeRegular(string text, int start, System.Text.StringBuilder value, List<int> map)
    {
        int end = text.Length - 1;
        if (end < 1 || text[end] != '"')
        {
            return false;
        }

        int i = 1;
        while (i < end)
        {
            if (text[i] != '\\')
            {
                value.Append(text[i]);
                map.Add(start + i);
                i++;
                continue;
            }

            if (i + 1 >= end)
            {
                return false;
            }

            int escapeStart = i;
            char e = text[i + 1];
            i += 2;
            string? produced = e switch
            {
                '\'' => "'",
                '"' => "\"",
                '\\' => "\\",
                '0' => "\0",
                'a' => "\a",
                'b' => "\b",
                'e' => "\u001b",
                'f' => "\f",
                'n' => "\n",
                'r' => "\r",
                't' => "\t",
                'v' => "\v",
                _ => null,
            };

            if (produced is null)
            {
                int digits = e switch { 'x' => 4, 'u' => 4, 'U' => 8, _ => 0 };
                if (digits == 0)
                {
                    return false;
                }

                int n = 0;
                while (n < digits && i + n < end && IsHex(text[i + n]))
                {
                    n++;
                }

                if (n == 0 || (e != 'x' && n != digits))
                {
                    return false;
                }

                uint code = uint.Parse(text.Substring(i, n), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                i += n;
                if (code > 0x10FFFF)
                {
                    return false;
                }

                produced = code <= 0xFFFF ? ((char)code).ToString() : char.ConvertFromUtf32((int)code);
            }

            foreach (char c in produced)
            {
                value.Append(c);
                map.Add(start + escapeStart);
            }
        }

        map.Add(start + end);
        return true;
    }

    private static bool DecodeVerbatim(string text, int start, System.Text.StringBuilder value, List<int> map)
    {
        int end = text.Length - 1;
        if (end < 2 || text[end] != '"')
        {
            return false;
        }

        int i = 2;
        while (i < end)
        {
            value.Append(text[i]);
            map.Add(start + i);
            i += text[i] == '"' ? 2 : 1;
        }

        map.Add(start + end);
        return true;
    }

    private static bool DecodeRaw(string text, int start, System.Text.StringBuilder value, List<int> map)
    {
        int quotes = 0;
        while (quotes < text.Length && text[quotes] == '"')
        {
            quotes++;
        }

        int closeStart = text.Length - quotes;
        if (closeStart <= quotes)
        {
            return false;
        }

        int firstBreak = IndexOfLineBreak(text, quotes, closeStart);
        if (firstBreak < 0)
        {
            // Single line: the value is exactly what lies between the delimiters.
            for (int i = quotes; i < closeStart; i++)
            {
                value.Append(text[i]);
                map.Add(start + i);
            }

            map.Add(start + closeStart);
            return true;
        }

        // Multi-line: the closing line's leading whitespace is removed from every content line.
        int closingLineStart = LastLineStart(text, closeStart);
        string indentation = text.Substring(closingLineStart, closeStart - closingLineStart);
        int contentStart = firstBreak + BreakLength(text, firstBreak);

        // The line break before the closing line is not part of the value.
        int contentEnd = closingLineStart - BreakLengthBefore(text, closingLineStart);
        int lineStart = contentStart;
        bool firstLine = true;
        while (lineStart <= contentEnd)
        {
            int lineBreak = IndexOfLineBreak(text, lineStart, contentEnd);
            int lineEnd = lineBreak < 0 ? contentEnd : lineBreak;
            if (!firstLine)
            {
                // The break that ended the previous line belongs to the value.
                int previousBreak = lineStart - BreakLengthBefore(text, lineStart);
                for (int k = previousBreak; k < lineStart; k++)
                {
                    value.Append(text[k]);
                    map.Add(start + k);
                }
            }

            bool indented = lineEnd - lineStart >= indentation.Length && string.CompareOrdinal(text, lineStart, indentation, 0, indentation.Length) == 0;
            if (indented)
            {
                for (int k = lineStart + indentation.Length; k < lineEnd; k++)
                {
                    value.Append(text[k]);
                    map.Add(start + k);
                }
            }
            else if (!IsWhitespaceOnly(text, lineStart, lineEnd))
            {
                // Only a whitespace-only line may lack the closing line's indentation (it becomes empty).
                return false;
            }

            firstLine = false;
            if (lineBreak < 0)
            {
                break;
            }

            lineStart = lineBreak + BreakLength(text, lineBreak);
        }

        // The value ends where the last content line ends.
        map.Add(start + contentEnd);
        return true;
    }

    private static bool IsHex(char c) => c is (>= '0' and <= '9') or (>= 'a' and <= 'f') or (>= 'A' and <= 'F');

    private static bool IsLineBreak(char c) => c is '\n' or '\r' or '\u0085' or '\u2028' or '\u2029';

    private static bool IsWhitespaceOnly(string text, int from, int to)
    {
        for (int i = from; i < to; i++)
        {
            if (!char.IsWhiteSpace(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static int IndexOfLineBreak(string text, int from, int to)
    {
        for (int i = from; i < to; i++)
        {
            if (IsLineBreak(text[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static int BreakLength(string text, int at) => text[at] == '\r' && at + 1 < text.Length && text[at + 1] == '\n' ? 2 : 1;

    private static int BreakLengthBefore(string text, int lineStart)
    {
        if (lineStart >= 2 && text[lineStart - 1] == '\n' && text[lineStart - 2] == '\r')
        {
            return 2;
        }

        return lineStart >= 1 && IsLineBreak(text[lineStart - 1]) ? 1 : 0;
    }

    private static int LastLineStart(string text, int before)
    {
        int i = before;
        while (i > 0 && !IsLineBreak(text[i - 1]))
        {
            i--;
        }

        return i;
    }
}
