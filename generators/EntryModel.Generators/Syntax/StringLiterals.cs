using System.Collections.Generic;
using EntryModel.Generators.Diagnostics;

namespace EntryModel.Generators.Syntax;

/// <summary>The bytes of <c>.ascii</c>/<c>.asciz</c>/<c>.string</c> arguments: double-quoted strings with GAS's escapes, UTF-8 otherwise.</summary>
internal static class StringLiterals
{
    public static byte[] Decode(string text, IReadOnlyList<(int Start, int End)> arguments, bool zeroTerminated)
    {
        var bytes = new List<byte>();
        foreach (var (s, e) in arguments)
        {
            if (e - s < 2 || text[s] != '"' || text[e - 1] != '"')
            {
                throw new SyntaxException(DiagnosticIds.SyntaxError, "a string in double quotes expected", s, e - s);
            }

            for (int i = s + 1; i < e - 1; i++)
            {
                char c = text[i];
                if (c == '\\' && i + 1 < e - 1)
                {
                    i++;
                    c = text[i];
                    switch (c)
                    {
                        case 'n': bytes.Add(10); continue;
                        case 't': bytes.Add(9); continue;
                        case 'r': bytes.Add(13); continue;
                        case 'b': bytes.Add(8); continue;
                        case 'f': bytes.Add(12); continue;
                        case '\\': bytes.Add(92); continue;
                        case '"': bytes.Add(34); continue;
                        default:
                            if (c >= '0' && c <= '7')
                            {
                                int v = 0, n = 0;
                                while (n < 3 && i < e - 1 && text[i] >= '0' && text[i] <= '7')
                                {
                                    v = (v * 8) + (text[i] - '0');
                                    i++;
                                    n++;
                                }

                                i--;
                                bytes.Add((byte)v);
                                continue;
                            }

                            bytes.Add((byte)c);
                            continue;
                    }
                }

                foreach (byte b in System.Text.Encoding.UTF8.GetBytes(c.ToString()))
                {
                    bytes.Add(b);
                }
            }

            if (zeroTerminated)
            {
                bytes.Add(0);
            }
        }

        return bytes.ToArray();
    }
}
