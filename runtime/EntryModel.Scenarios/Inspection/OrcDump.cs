using System.Globalization;

namespace EntryModel.Scenarios.Inspection;

/// <summary>
/// An image's ORC rows as objtool 6.1's <c>--dump=orc</c> prints an object's: one line per row,
/// its place as the relocation names it (<c>section+offset</c>, the offset in hex without 0x),
/// then the row (<c>.text+1c: sp:bp+16 bp:prevsp-16 type:call end:0</c>). A row at no section's
/// bytes (past the last) is printed at its address, as objtool does for a linked file.
/// </summary>
public static class OrcDump
{
    public static IEnumerable<string> Lines(KernelImage image, OrcTable table)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(table);
        var code = image.Chunks.Where(c => (c.Flags & SectionPermissions.Executable) != 0).ToArray();
        var sectionStart = code.GroupBy(c => c.Section).ToDictionary(g => g.Key, g => g.Min(c => c.Address), StringComparer.Ordinal);
        for (int i = 0; i < table.Count; i++)
        {
            yield return $"{Place(code, sectionStart, table.Ips[i])}: {table.Entries[i]}";
        }
    }

    private static string Place(ImageChunk[] code, Dictionary<string, ulong> sectionStart, ulong ip)
    {
        // A row at a section's very end (the terminator objtool adds after its last instruction) belongs to that section.
        var chunk = code.FirstOrDefault(c => ip >= c.Address && ip < c.End) ?? code.FirstOrDefault(c => ip == c.End);
        return chunk is null
            ? ip.ToString("x", CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{chunk.Section}+{ip - sectionStart[chunk.Section]:x}");
    }
}
