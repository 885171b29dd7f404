using System.Globalization;
using EntryModel.Generators.Encoding;
using EntryModel.Generators.Expansion;
using Microsoft.CodeAnalysis.Diagnostics;

namespace EntryModel.Generators.Pipeline;

/// <summary>
/// Reads the consumer's <see cref="ExpansionLimits"/> from its MSBuild properties
/// (<c>build_property.EntryModelMaxExpandedStatements</c>, <c>build_property.EntryModelMaxEmittedBytes</c>).
/// </summary>
internal static class ExpansionLimitsOptions
{
    public static ExpansionLimits Read(AnalyzerConfigOptions options) => ExpansionLimits.From(
        Number(options, ExpansionLimits.StatementsProperty),
        Number(options, ExpansionLimits.BytesProperty));

    private static long? Number(AnalyzerConfigOptions options, string property)
    {
        if (!options.TryGetValue("build_property." + property, out string? text) || text is null)
        {
            return null;
        }

        // Decimal, or hexadecimal with 0x: byte counts read naturally either way.
        text = text.Trim();
        bool hex = text.StartsWith("0x", System.StringComparison.OrdinalIgnoreCase);
        return long.TryParse(hex ? text.Substring(2) : text, hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None, CultureInfo.InvariantCulture, out long value)
            ? value
            : null;
    }
}
