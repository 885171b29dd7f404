using EntryModel.Generators.Model;
using Microsoft.CodeAnalysis.Text;

namespace EntryModel.Generators.Diagnostics;

/// <summary>
/// Places an assembler diagnostic (declaration index, value offset and length) at the exact span
/// inside the declaration's string literal, from the values in <see cref="TextLocation"/> alone.
/// </summary>
internal static class AsmDiagnosticLocator
{
    /// <summary>The span inside the literal, or <paramref name="fallback"/> when the declaration is unknown.</summary>
    public static LocationInfo? Locate(ModelSource model, int declarationIndex, int valueOffset, int valueLength, LocationInfo? fallback)
    {
        if (declarationIndex < 0 || declarationIndex >= model.Declarations.Count)
        {
            return fallback;
        }

        var location = model.Declarations[declarationIndex].Location;
        if (!location.IsKnown)
        {
            return fallback;
        }

        var (start, length) = location.MapInside(valueOffset, valueLength);
        var (startLine, startColumn) = location.PositionOf(start);
        var (endLine, endColumn) = location.PositionOf(start + length);
        return new LocationInfo(
            location.FilePath,
            new TextSpan(start, length),
            new LinePositionSpan(new LinePosition(startLine, startColumn), new LinePosition(endLine, endColumn)));
    }
}
