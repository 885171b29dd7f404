using System.Collections.Immutable;
using EntryModel.Generators.Model;
using Microsoft.CodeAnalysis.Text;

namespace EntryModel.Generators.Extraction;

/// <summary>
/// The location of a whole file's text (a <c>[GasFile]</c>): the value is the file, so offsets map
/// to themselves, and only the line starts are kept to turn offsets into lines and columns.
/// </summary>
internal static class FileLocator
{
    public static TextLocation Locate(string filePath, SourceText text, string value)
    {
        var lines = text.Lines;
        var lineStarts = ImmutableArray.CreateBuilder<int>(lines.Count);
        foreach (var line in lines)
        {
            lineStarts.Add(line.Start);
        }

        // The splitter counts lines at '\n'; the file's lines are Roslyn's (which also break at a lone '\r').
        var fileLines = ImmutableArray.CreateBuilder<int>();
        int valueLineStart = 0;
        while (true)
        {
            fileLines.Add(lines.GetLineFromPosition(valueLineStart).LineNumber + 1);
            int next = value.IndexOf('\n', valueLineStart);
            if (next < 0)
            {
                break;
            }

            valueLineStart = next + 1;
        }

        return new TextLocation(filePath, 0, value.Length, EquatableArray<int>.Empty, new EquatableArray<int>(fileLines.ToImmutable()))
        {
            Verbatim = true,
            FirstLineIndex = 0,
            LineStarts = new EquatableArray<int>(lineStarts.MoveToImmutable()),
        };
    }
}
