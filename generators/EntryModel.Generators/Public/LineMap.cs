using System;
using System.Collections.Generic;

namespace EntryModel.Generators.Public;

/// <summary>Turns offsets into a text into 1-based lines and columns, as compilers report them.</summary>
internal sealed class LineMap
{
    private readonly List<int> starts = new List<int> { 0 };
    private readonly int length;

    public LineMap(string text)
    {
        length = text.Length;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                starts.Add(i + 1);
            }
        }
    }

    public int Line(int offset) => LineIndex(offset) + 1;

    public int Column(int offset) => Clamp(offset) - starts[LineIndex(offset)] + 1;

    private int LineIndex(int offset)
    {
        int found = starts.BinarySearch(Clamp(offset));
        return found >= 0 ? found : ~found - 1;
    }

    // A diagnostic with no place (offset -1) or past the end points at the nearest end.
    private int Clamp(int offset) => Math.Max(0, Math.Min(offset, length));
}
