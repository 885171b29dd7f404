using System.Threading;
using EntryModel.Generators.Extraction;
using EntryModel.Generators.Model;
using Microsoft.CodeAnalysis;

namespace EntryModel.Generators.Pipeline;

/// <summary>
/// An <c>AdditionalFiles</c> item that a <c>[GasFile]</c> may name, read into values: its path, its
/// text (null when the compiler could not read it) and the location its offsets map to.
/// </summary>
internal sealed record GasSourceFile(string Path, string? Text, TextLocation Location)
{
    /// <summary>
    /// Reads <paramref name="file"/> when some reference could name it; returns null, without reading
    /// it, for the project's other additional files.
    /// </summary>
    public static GasSourceFile? Read(AdditionalText file, EquatableArray<string> references, CancellationToken cancellationToken)
    {
        bool named = false;
        foreach (string reference in references)
        {
            named |= GasFilePaths.CouldName(reference, file.Path);
        }

        if (!named)
        {
            return null;
        }

        var text = file.GetText(cancellationToken);
        if (text is null)
        {
            return new GasSourceFile(file.Path, null, TextLocation.None);
        }

        string value = text.ToString();
        return new GasSourceFile(file.Path, value, FileLocator.Locate(file.Path, text, value));
    }
}
