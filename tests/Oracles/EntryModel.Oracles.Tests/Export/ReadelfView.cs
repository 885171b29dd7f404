using System.Globalization;
using System.Text.RegularExpressions;

namespace EntryModel.Oracles.Tests.Export;

/// <summary>
/// What <c>readelf -h -S -s -r -W</c> says of a relocatable object, without what two equal
/// objects may legitimately write differently: section order and indices (sections are keyed by
/// name, links by the linked section's name), file offsets, the order of symbols (a set), the
/// order of a section's relocations (by offset: GNU as writes a relaxed jump's after the rest, and
/// the linker does not care), and the string tables' layout (their sizes). Each line is one fact;
/// equal objects have equal lines.
/// </summary>
internal static partial class ReadelfView
{
    public static List<string> Of(string objectFile)
    {
        var lines = new List<string>();
        lines.AddRange(Header(Binutils.Run("readelf", "-h", "-W", objectFile)));
        var (sections, indexToName) = Sections(Binutils.Run("readelf", "-S", "-W", objectFile));
        lines.AddRange(sections);
        lines.AddRange(Symbols(Binutils.Run("readelf", "-s", "-W", objectFile), indexToName));
        lines.AddRange(Relocations(Binutils.Run("readelf", "-r", "-W", objectFile)));
        return lines;
    }

    private static IEnumerable<string> Header(string text) =>
        text.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith("Start of section headers", StringComparison.Ordinal) && !l.StartsWith("Section header string table index", StringComparison.Ordinal))
            .Select(l => "header " + Regex.Replace(l, @"\s+", " "));

    private static (List<string> Lines, Dictionary<string, string> IndexToName) Sections(string text)
    {
        var rows = new List<(string Index, string Name, string Type, string Size, string EntrySize, string Flags, string Link, string Info, string Align)>();
        foreach (var line in text.Split('\n'))
        {
            var m = SectionRow().Match(line);
            if (m.Success)
            {
                rows.Add((m.Groups["nr"].Value, m.Groups["name"].Value, m.Groups["type"].Value, m.Groups["size"].Value, m.Groups["es"].Value, m.Groups["flags"].Value, m.Groups["lk"].Value, m.Groups["inf"].Value, m.Groups["al"].Value));
            }
        }

        var names = rows.ToDictionary(r => r.Index, r => r.Name, StringComparer.Ordinal);
        string Named(string index) => index == "0" ? "-" : names.GetValueOrDefault(index, "#" + index);
        var lines = new List<string>();
        foreach (var r in rows.Where(r => r.Index != "0"))
        {
            bool stringTable = r.Type == "STRTAB";
            // sh_info of .symtab counts the locals; of a RELA (REL) section it is the section it applies to.
            string info = r.Type is "RELA" or "REL" ? Named(r.Info) : r.Info;
            lines.Add($"section {r.Name} {r.Type} flags [{r.Flags}] align {r.Align} entsize {r.EntrySize} size {(stringTable ? "(layout)" : r.Size)} link {Named(r.Link)} info {info}");
        }

        lines.Sort(StringComparer.Ordinal);
        return (lines, names);
    }

    private static List<string> Symbols(string text, Dictionary<string, string> indexToName)
    {
        var lines = new List<string>();
        foreach (var line in text.Split('\n'))
        {
            var m = SymbolRow().Match(line);
            if (m.Success)
            {
                string ndx = m.Groups["ndx"].Value;
                string section = ndx is "UND" or "ABS" or "COM" ? ndx : indexToName.GetValueOrDefault(ndx, "#" + ndx);
                lines.Add($"symbol {m.Groups["name"].Value} {m.Groups["type"].Value} {m.Groups["bind"].Value} {m.Groups["vis"].Value} in {section} value {m.Groups["value"].Value} size {m.Groups["size"].Value}");
            }
        }

        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    private static IEnumerable<string> Relocations(string text)
    {
        var bySection = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        List<string>? current = null;
        foreach (var line in text.Split('\n'))
        {
            var header = RelocationHeader().Match(line);
            if (header.Success)
            {
                current = [];
                bySection[header.Groups["name"].Value] = current;
                continue;
            }

            var m = RelocationRow().Match(line);
            if (m.Success && current is not null)
            {
                // The info word holds the symbol's index, which depends on the table's order: the name says it.
                current.Add($"{m.Groups["offset"].Value} {m.Groups["type"].Value} {m.Groups["value"].Value} {Regex.Replace(m.Groups["rest"].Value.Trim(), @"\s+", " ")}");
            }
        }

        foreach (var (section, entries) in bySection)
        {
            yield return $"relocations {section} count {entries.Count.ToString(CultureInfo.InvariantCulture)}";
            // The offset leads each entry (16 hex digits), so ordinal order is offset order; OrderBy is stable.
            foreach (var e in entries.OrderBy(e => e[..16], StringComparer.Ordinal))
            {
                yield return $"relocation {section} {e}";
            }
        }
    }

    [GeneratedRegex(@"^\s*\[\s*(?<nr>\d+)\]\s+(?<name>\S*)\s+(?<type>\S+)\s+[0-9a-f]{16}\s+[0-9a-f]+\s+(?<size>[0-9a-f]+)\s+(?<es>[0-9a-f]+)\s+(?<flags>[A-Za-z]*)\s*(?<lk>\d+)\s+(?<inf>\d+)\s+(?<al>\d+)\s*$")]
    private static partial Regex SectionRow();

    [GeneratedRegex(@"^\s*\d+:\s+(?<value>[0-9a-f]+)\s+(?<size>\d+)\s+(?<type>\S+)\s+(?<bind>\S+)\s+(?<vis>\S+)\s+(?<ndx>\S+)\s*(?<name>.*?)\s*$")]
    private static partial Regex SymbolRow();

    [GeneratedRegex(@"^Relocation section '(?<name>[^']+)'")]
    private static partial Regex RelocationHeader();

    [GeneratedRegex(@"^(?<offset>[0-9a-f]{16})\s+[0-9a-f]{16}\s+(?<type>\S+)\s+(?<value>[0-9a-f]{16})?(?<rest>.*)$")]
    private static partial Regex RelocationRow();
}
