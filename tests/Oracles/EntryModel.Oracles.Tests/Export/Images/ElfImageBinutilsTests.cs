using System.Globalization;
using System.Text.RegularExpressions;
using EntryModel.Export;

namespace EntryModel.Oracles.Tests.Export.Images;

/// <summary>
/// Oracle: GNU binutils (readelf, nm). For every strategy of the default model, the exported image
/// is an x86-64 ET_EXEC whose sections sit at the chunks' addresses with their permissions, whose
/// PT_LOAD segments are the chunks, whose symbols readelf -s and nm -S list with the image's
/// addresses, sizes and ELF types, and whose ORC tables sit under the kernel's section names.
/// </summary>
[TestFixture]
public sealed partial class ElfImageBinutilsTests
{
    [TestCaseSource(typeof(ExportedImages), nameof(ExportedImages.Strategies))]
    public void Readelf_reads_an_x86_64_executable(string strategy)
    {
        string header = Binutils.Run("readelf", "-h", "-W", ExportedImages.PathOf(strategy));

        Assert.That(header, Does.Match(@"Class:\s+ELF64").And.Match(@"Type:\s+EXEC \(Executable file\)").And.Match(@"Machine:\s+Advanced Micro Devices X86-64"));
    }

    [TestCaseSource(typeof(ExportedImages), nameof(ExportedImages.Strategies))]
    public void Readelf_lists_a_section_at_each_chunk_with_its_permissions_and_bytes(string strategy)
    {
        var image = ExportedImages.Image(strategy);
        string path = ExportedImages.PathOf(strategy);
        var sections = SectionRow().Matches(Binutils.Run("readelf", "-S", "-W", path))
            .Select(m => (Name: m.Groups["name"].Value, Type: m.Groups["type"].Value, Address: Hex(m.Groups["addr"].Value), Size: Hex(m.Groups["size"].Value), Flags: m.Groups["flags"].Value))
            .ToList();

        foreach (var chunk in image.Chunks)
        {
            // readelf writes the flags in the order W, A, X.
            string flags = (chunk.Flags.HasFlag(SectionPermissions.Writable) ? "W" : string.Empty) + "A" + (chunk.Flags.HasFlag(SectionPermissions.Executable) ? "X" : string.Empty);
            Assert.That(sections, Does.Contain((chunk.Section, "PROGBITS", chunk.Address, (ulong)chunk.Bytes.Length, flags)),
                $"{strategy}: no {chunk.Section} section at 0x{chunk.Address:x} of 0x{chunk.Bytes.Length:x} bytes flagged {flags}");

            // objdump -s reads the bytes back from the file at the section's offset.
            string dump = Binutils.Run("objdump", "-s", "--start-address=0x" + chunk.Address.ToString("x", CultureInfo.InvariantCulture), "--stop-address=0x" + chunk.End.ToString("x", CultureInfo.InvariantCulture), path);
            Assert.That(DumpedBytes(dump), Is.EqualTo(chunk.Bytes), $"{strategy}: bytes of the chunk at 0x{chunk.Address:x}");
        }
    }

    [TestCaseSource(typeof(ExportedImages), nameof(ExportedImages.Strategies))]
    public void Readelf_lists_one_pt_load_per_chunk_with_its_permissions(string strategy)
    {
        var image = ExportedImages.Image(strategy);
        var loads = LoadRow().Matches(Binutils.Run("readelf", "-l", "-W", ExportedImages.PathOf(strategy)))
            .Select(m => (Address: Hex(m.Groups["vaddr"].Value), FileSize: Hex(m.Groups["filesz"].Value), MemSize: Hex(m.Groups["memsz"].Value), Flags: m.Groups["flags"].Value.Replace(" ", string.Empty, StringComparison.Ordinal)))
            .ToList();
        var expected = image.Chunks.OrderBy(c => c.Address)
            .Select(c => (c.Address, (ulong)c.Bytes.Length, (ulong)c.Bytes.Length, "R" + (c.Flags.HasFlag(SectionPermissions.Writable) ? "W" : string.Empty) + (c.Flags.HasFlag(SectionPermissions.Executable) ? "E" : string.Empty)))
            .ToList();

        Assert.That(loads, Is.EqualTo(expected));
    }

    [TestCaseSource(typeof(ExportedImages), nameof(ExportedImages.Strategies))]
    public void Readelf_s_lists_every_image_symbol_with_its_address_size_and_type(string strategy)
    {
        var image = ExportedImages.Image(strategy);
        var listed = ReadelfSymbolRow().Matches(Binutils.Run("readelf", "-s", "-W", ExportedImages.PathOf(strategy)))
            .Select(m => (Name: m.Groups["name"].Value, Address: Hex(m.Groups["value"].Value), Size: ulong.Parse(m.Groups["size"].Value, CultureInfo.InvariantCulture), Type: m.Groups["type"].Value))
            .ToList();

        foreach (var symbol in image.Symbols.All)
        {
            string type = symbol.Kind switch
            {
                SymbolKind.Data => "OBJECT",
                SymbolKind.Label => "NOTYPE",
                _ => "FUNC",
            };
            Assert.That(listed, Does.Contain((symbol.Name, symbol.Address, symbol.Size, type)), $"{strategy}: readelf -s lacks {symbol.Name} {type} at 0x{symbol.Address:x} size {symbol.Size}");
        }

        Assert.That(listed, Does.Contain(("pt_regs", image.Symbols["pt_regs"].Address, image.Symbols["pt_regs"].Size, "FUNC")), "the fake pt_regs is a function, so that gdb names return addresses into it");
        int extra = image.Orc is null ? 0 : OrcSectionLayout.SymbolNames.Count;
        Assert.That(listed, Has.Count.EqualTo(image.Symbols.All.Count + extra), $"{strategy}: readelf -s lists the image's symbols and, with ORC, the tables' bounds");
    }

    [TestCaseSource(typeof(ExportedImages), nameof(ExportedImages.Strategies))]
    public void Nm_S_lists_every_image_symbol_with_its_address_and_size(string strategy)
    {
        var image = ExportedImages.Image(strategy);
        var listed = NmRow().Matches(Binutils.Run("nm", "-S", ExportedImages.PathOf(strategy)))
            .Select(m => (Name: m.Groups["name"].Value, Address: Hex(m.Groups["value"].Value), Size: m.Groups["size"].Success ? Hex(m.Groups["size"].Value) : 0UL, Kind: m.Groups["kind"].Value))
            .ToList();

        foreach (var symbol in image.Symbols.All)
        {
            // nm's letter: T for code, D for writable data, R for read-only data (all global).
            string kind = symbol.Kind != SymbolKind.Data ? "T"
                : image.Chunks.Single(c => c.Address <= symbol.Address && symbol.Address < c.End).Flags.HasFlag(SectionPermissions.Writable) ? "D" : "R";
            Assert.That(listed, Does.Contain((symbol.Name, symbol.Address, symbol.Size, kind)), $"{strategy}: nm -S lacks {kind} {symbol.Name} at 0x{symbol.Address:x} size 0x{symbol.Size:x}");
        }
    }

    [TestCaseSource(typeof(ExportedImages), nameof(ExportedImages.Strategies))]
    public void Orc_tables_sit_under_the_kernels_section_names_exactly_when_the_strategy_has_them(string strategy)
    {
        var image = ExportedImages.Image(strategy);
        string[] names = [OrcSectionLayout.IpSection, OrcSectionLayout.EntrySection, OrcSectionLayout.LookupSection];
        var sections = SectionRow().Matches(Binutils.Run("readelf", "-S", "-W", ExportedImages.PathOf(strategy)))
            .Where(m => names.Contains(m.Groups["name"].Value))
            .ToDictionary(m => m.Groups["name"].Value, m => m, StringComparer.Ordinal);
        if (image.Orc is not { } orc)
        {
            Assert.That(names.Where(sections.ContainsKey), Is.Empty, $"{strategy} has no ORC tables");
            return;
        }

        Assert.Multiple(() =>
        {
            Assert.That(Hex(sections[OrcSectionLayout.IpSection].Groups["size"].Value), Is.EqualTo((ulong)orc.IpTableBytes));
            Assert.That(sections[OrcSectionLayout.IpSection].Groups["type"].Value, Is.EqualTo("PROGBITS"));
            Assert.That(Hex(sections[OrcSectionLayout.EntrySection].Groups["size"].Value), Is.EqualTo((ulong)orc.EntryTableBytes));
            Assert.That(sections[OrcSectionLayout.EntrySection].Groups["type"].Value, Is.EqualTo("PROGBITS"));
            Assert.That(Hex(sections[OrcSectionLayout.LookupSection].Groups["size"].Value), Is.EqualTo((ulong)orc.LookupTableBytes));
            Assert.That(sections[OrcSectionLayout.LookupSection].Groups["type"].Value, Is.EqualTo("NOBITS"), "the kernel fills orc_lookup at boot");
        });
    }

    private static ulong Hex(string text) => ulong.Parse(text, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    /// <summary>The bytes of <c>objdump -s</c>'s hex columns: after the address, 35 characters of up to four 4-byte groups, then the text.</summary>
    private static byte[] DumpedBytes(string dump) =>
        [.. DumpRow().Matches(dump).SelectMany(m => m.Groups["data"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).SelectMany(Convert.FromHexString)];

    [GeneratedRegex(@"^\s*\[\s*\d+\]\s+(?<name>\S+)\s+(?<type>\S+)\s+(?<addr>[0-9a-f]{16})\s+[0-9a-f]+\s+(?<size>[0-9a-f]+)\s+[0-9a-f]+\s+(?<flags>[A-Za-z]*)\s+\d+\s+\d+\s+\d+\s*$", RegexOptions.Multiline)]
    private static partial Regex SectionRow();

    [GeneratedRegex(@"^\s*LOAD\s+0x[0-9a-f]+\s+0x(?<vaddr>[0-9a-f]+)\s+0x[0-9a-f]+\s+0x(?<filesz>[0-9a-f]+)\s+0x(?<memsz>[0-9a-f]+)\s+(?<flags>[RWE ]{3})\s+0x[0-9a-f]+\s*$", RegexOptions.Multiline)]
    private static partial Regex LoadRow();

    [GeneratedRegex(@"^\s*\d+:\s+(?<value>[0-9a-f]{16})\s+(?<size>\d+)\s+(?<type>\S+)\s+GLOBAL\s+DEFAULT\s+\S+\s+(?<name>\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex ReadelfSymbolRow();

    [GeneratedRegex(@"^(?<value>[0-9a-f]{16})\s+(?:(?<size>[0-9a-f]{16})\s+)?(?<kind>[A-Za-z])\s+(?<name>\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex NmRow();

    [GeneratedRegex(@"^ [0-9a-f]+ (?<data>.{35})", RegexOptions.Multiline)]
    private static partial Regex DumpRow();
}
