using System.Globalization;
using EntryModel.Scenarios.Catalog;

namespace EntryModel.Scenarios.Reporting;

/// <summary>What the <c>list</c> command prints: scenarios, strategies, or an image's symbols or constants.</summary>
public static class CatalogListing
{
    public static IReadOnlyList<string> Kinds { get; } = ["scenarios", "strategies", "symbols", "constants"];

    public static IEnumerable<string> Scenarios() =>
        ScenarioCatalog.All.Select(s => $"{s.Name,-18} {s.Description}");

    public static IEnumerable<string> Strategies() =>
        StrategyCatalog.Images.Select(i => $"{i.Strategy,-18} {i.Description}");

    /// <summary>address, size, kind, section and name of every symbol, by address.</summary>
    public static IEnumerable<string> Symbols(KernelImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return image.Symbols.All.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Address:x16} {s.Size,6:x} {s.Kind,-8} {s.Section,-11} {s.Name}"));
    }

    /// <summary>Name and value (hex and decimal) of every constant the model's [GasMacros] set, by name.</summary>
    public static IEnumerable<string> Constants(KernelImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return image.Constants.OrderBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key,-28} 0x{c.Value:x} ({c.Value})"));
    }
}
