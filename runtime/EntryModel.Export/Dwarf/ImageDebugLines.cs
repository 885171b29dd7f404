namespace EntryModel.Export.Dwarf;

/// <summary>
/// The DWARF an exported image carries so that addr2line and gdb map its code to the model's C#
/// source: the line map's entries in executable chunks (the instructions; data has no line rows,
/// as in vmlinux), each at its C# file and line, in one compile unit whose ranges are the runs of
/// code the entries cover. Bytes no entry covers (alignment fill between functions) are left out
/// of every sequence, so tools say "no line" there rather than the previous instruction's line.
/// </summary>
public static class ImageDebugLines
{
    public const string LineSection = ".debug_line";
    public const string InfoSection = ".debug_info";
    public const string AbbrevSection = ".debug_abbrev";
    public const string RangesSection = ".debug_ranges";

    /// <summary>The non-allocated sections, in the order GNU ld writes them; empty when no code has a source line.</summary>
    public static IReadOnlyList<(string Name, byte[] Bytes)> Sections(KernelImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var entries = CodeEntries(image);
        if (entries.Count == 0)
        {
            return [];
        }

        var directories = entries.Select(e => DirectoryOf(e.File)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var files = entries.Select(e => e.File).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var fileIndex = files.Select((f, i) => (f, i + 1)).ToDictionary(p => p.f, p => p.Item2, StringComparer.Ordinal);
        var fileEntries = files.Select(f => (Path.GetFileName(f), directories.IndexOf(DirectoryOf(f)) + 1)).ToList();

        var sequences = new List<DwarfLineSequence>();
        var rows = new List<DwarfLineRow>();
        ulong end = 0;
        foreach (var entry in entries)
        {
            if (rows.Count > 0 && entry.Address != end)
            {
                sequences.Add(new DwarfLineSequence(rows, end));
                rows = [];
            }

            rows.Add(new DwarfLineRow(entry.Address, fileIndex[entry.File], entry.FileLine));
            end = entry.Address + (ulong)entry.Length;
        }

        sequences.Add(new DwarfLineSequence(rows, end));

        var line = DwarfLineProgram.Encode(directories, fileEntries, sequences);
        var (info, abbrev, ranges) = DwarfCompileUnit.Encode(
            producer: "EntryModel",
            name: $"{image.Model} ({image.Strategy})",
            compDir: CommonDirectory(directories),
            ranges: [.. sequences.Select(s => (s.Rows[0].Address, s.End))]);
        return [(InfoSection, info), (AbbrevSection, abbrev), (LineSection, line), (RangesSection, ranges)];
    }

    /// <summary>The line map's entries for bytes of executable chunks that name a source line, by address.</summary>
    public static IReadOnlyList<LineMapEntry> CodeEntries(KernelImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var code = image.Chunks.Where(c => c.Flags.HasFlag(SectionPermissions.Executable)).ToList();
        return [.. image.Lines
            .Where(l => l.Length > 0 && l.FileLine > 0 && l.File.Length > 0 && code.Any(c => c.Address <= l.Address && l.Address < c.End))
            .OrderBy(l => l.Address)];
    }

    private static string DirectoryOf(string file) => Path.GetDirectoryName(file) ?? string.Empty;

    /// <summary>The deepest directory holding all of <paramref name="directories"/> (the unit's DW_AT_comp_dir).</summary>
    private static string CommonDirectory(List<string> directories)
    {
        string common = directories[0];
        foreach (string directory in directories.Skip(1))
        {
            while (common.Length > 0 && !(directory == common || directory.StartsWith(common.TrimEnd('/') + "/", StringComparison.Ordinal)))
            {
                common = Path.GetDirectoryName(common) ?? string.Empty;
            }
        }

        return common;
    }
}
