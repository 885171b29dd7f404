using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace EntryModel.Generators.Diagnostics;

/// <summary>
/// A source location as values (path, span, line span), so pipeline models can carry it and stay
/// comparable; <see cref="Location"/> objects hold syntax trees and would defeat caching.
/// </summary>
internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);

    public static LocationInfo? From(Location? location)
    {
        if (location is null || !location.IsInSource)
        {
            return null;
        }

        return new LocationInfo(location.SourceTree?.FilePath ?? string.Empty, location.SourceSpan, location.GetLineSpan().Span);
    }

    public static LocationInfo? From(SyntaxNode? node) => From(node?.GetLocation());
}
