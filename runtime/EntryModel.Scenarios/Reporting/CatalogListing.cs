using System.Globalization;
using EntryModel.Scenarios.Catalog;
using EntryModel.Unwinding;
using EntryModel.Unwinding.Image;

namespace EntryModel.Scenarios.Reporting;

/// <summary>What the <c>list</c> command prints: scenarios, strategies, unwinders, or an image's symbols or constants.</summary>
public static class CatalogListing
{
    public static IReadOnlyList<string> Kinds { get; } = ["scenarios", "strategies", "unwinders", "symbols", "constants"];

    public static IEnumerable<string> Scenarios() =>
        ScenarioCatalog.All.Select(s => $"{s.Name,-18} {s.Description}");

    /// <summary>
    /// Each strategy: its description, its unwinders (its own marked with *), and its entry code's
    /// size from the image (the executable .entry* chunks) beside the none strategy's.
    /// </summary>
    public static IEnumerable<string> Strategies()
    {
        long baseline = StrategyCatalog.TryGet("none", out var none) ? EntryCodeBytes(none) : 0;
        foreach (var image in StrategyCatalog.Images)
        {
            string? own = UnwinderCatalog.Own(image, out string? missing);
            long bytes = EntryCodeBytes(image);
            yield return $"{image.Strategy,-18} {image.Description}";
            yield return string.Create(CultureInfo.InvariantCulture, $"{string.Empty,-18} entry code: {bytes} bytes ({bytes - baseline:+0;-0;+0} over none); unwind tables: {UnwindTableBytes(image)} bytes; unwinders: {string.Join(", ", UnwinderCatalog.For(image).Select(u => u == own ? u + "*" : u))}");
            if (own is null)
            {
                yield return $"{string.Empty,-18} no unwinder of its own: {missing}";
            }
        }
    }

    /// <summary>Name, where reliable mode may trust it, and what it does, for every unwinder.</summary>
    public static IEnumerable<string> Unwinders()
    {
        // Each unwinder on the image of a strategy it belongs to (where it can vouch at all, if anywhere).
        foreach (string name in UnwinderCatalog.Names)
        {
            var home = StrategyCatalog.Images.Where(i => UnwinderCatalog.For(i).Contains(name)).OrderBy(i => UnwinderCatalog.Own(i, out _) == name ? 0 : 1).FirstOrDefault();
            var unwinder = UnwinderCatalog.Create(name, UnwindImage.For(home ?? StrategyCatalog.Images[0]));
            string vouches = unwinder.CanVouch ? $"vouches on {home!.Strategy}" : "never vouches";
            yield return $"{name,-14} {vouches,-25} {unwinder.Description}";
        }
    }

    /// <summary>
    /// Bytes of the tables unwinders read from an image: the section strategy's <c>.entry_regs</c>,
    /// and ORC's <c>.orc_unwind_ip</c>, <c>.orc_unwind</c> and lookup table, as the kernel holds them.
    /// </summary>
    public static long UnwindTableBytes(KernelImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return image.Chunks.Where(c => c.Section == UnwindImage.EntryRegsSection).Sum(c => (long)c.Bytes.Length) + (image.Orc?.TotalBytes ?? 0);
    }

    /// <summary>Bytes of entry code in an image: its executable chunks in sections named .entry*.</summary>
    public static long EntryCodeBytes(KernelImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return image.Chunks.Where(c => c.Section.StartsWith(".entry", StringComparison.Ordinal) && (c.Flags & SectionPermissions.Executable) != 0).Sum(c => (long)c.Bytes.Length);
    }

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
