using System.Buffers.Binary;
using ELFSharp.ELF;
using ELFSharp.ELF.Sections;
using ELFSharp.ELF.Segments;
using EntryModel.Export;

namespace EntryModel.Oracles.Tests.Export.Images;

/// <summary>
/// Oracle: ELFSharp, a reader independent of the writer's LibObjectFile. Every strategy's exported
/// image read back gives the <see cref="KernelImage"/>'s chunks (its PT_LOAD segments, with their
/// sections' names), its symbols (the writer's ORC bounds aside) and, for a strategy with them, its
/// ORC rows, text bounds and lookup table size.
/// </summary>
[TestFixture]
public sealed class ElfImageRoundTripTests
{
    [TestCaseSource(typeof(ExportedImages), nameof(ExportedImages.Strategies))]
    public void Chunks_read_back_are_the_images_chunks(string strategy)
    {
        var image = ExportedImages.Image(strategy);
        using var elf = ELFReader.Load<ulong>(ExportedImages.PathOf(strategy));
        var sections = elf.Sections.OfType<Section<ulong>>().Where(s => s.Type == SectionType.ProgBits).ToList();

        var readBack = elf.Segments.Where(s => s.Type == SegmentType.Load).Select(segment =>
        {
            var section = sections.Single(s => s.LoadAddress == segment.Address && s.Size == segment.Size);
            var flags = SectionPermissions.None;
            flags |= segment.Flags.HasFlag(SegmentFlags.Write) ? SectionPermissions.Writable : SectionPermissions.None;
            flags |= segment.Flags.HasFlag(SegmentFlags.Execute) ? SectionPermissions.Executable : SectionPermissions.None;
            return (section.Name, segment.Address, Bytes: Convert.ToHexString(segment.GetFileContents()), flags, segment.Size == (ulong)segment.FileSize);
        }).ToList();

        // The ELF cannot say that a chunk is user memory: the machine's page tables do, from the section.
        var expected = image.Chunks.OrderBy(c => c.Address)
            .Select(c => (c.Section, c.Address, Convert.ToHexString(c.Bytes), c.Flags & ~SectionPermissions.User, true))
            .ToList();
        Assert.That(readBack, Is.EqualTo(expected));
    }

    [TestCaseSource(typeof(ExportedImages), nameof(ExportedImages.Strategies))]
    public void Symbols_read_back_are_the_images_symbols(string strategy)
    {
        var image = ExportedImages.Image(strategy);
        using var elf = ELFReader.Load<ulong>(ExportedImages.PathOf(strategy));
        var table = (ISymbolTable)elf.GetSection(".symtab");
        var readBack = table.Entries.Cast<SymbolEntry<ulong>>()
            .Where(s => s.Name.Length > 0 && !OrcSectionLayout.SymbolNames.Contains(s.Name))
            .Select(s => (s.Name, s.Value, s.Size, s.Type, s.Binding, Section: s.PointedSection?.Name))
            .OrderBy(s => s.Value).ThenBy(s => s.Name, StringComparer.Ordinal)
            .ToList();
        var expected = image.Symbols.All
            .Select(s => (s.Name, s.Address, s.Size, TypeOf(s.Kind), SymbolBinding.Global, (string?)s.Section))
            .OrderBy(s => s.Address).ThenBy(s => s.Name, StringComparer.Ordinal)
            .ToList();

        Assert.That(readBack, Is.EqualTo(expected));
    }

    [TestCaseSource(typeof(ExportedImages), nameof(ExportedImages.Strategies))]
    public void Orc_rows_read_back_are_the_images_rows(string strategy)
    {
        var image = ExportedImages.Image(strategy);
        using var elf = ELFReader.Load<ulong>(ExportedImages.PathOf(strategy));
        if (image.Orc is not { } orc)
        {
            Assert.That(elf.TryGetSection(OrcSectionLayout.IpSection, out _), Is.False, $"{strategy} has no ORC tables");
            return;
        }

        var ipSection = (Section<ulong>)elf.GetSection(OrcSectionLayout.IpSection);
        byte[] ipBytes = ipSection.GetContents();
        var ips = Enumerable.Range(0, ipBytes.Length / 4)
            .Select(i => ipSection.LoadAddress + (ulong)(4 * i) + unchecked((ulong)BinaryPrimitives.ReadInt32LittleEndian(ipBytes.AsSpan(4 * i))))
            .ToList();
        byte[] entryBytes = ((Section<ulong>)elf.GetSection(OrcSectionLayout.EntrySection)).GetContents();
        var entries = Enumerable.Range(0, entryBytes.Length / OrcEntry.Size).Select(i => OrcEntry.Read(entryBytes.AsSpan(OrcEntry.Size * i))).ToList();
        var symbols = ((ISymbolTable)elf.GetSection(".symtab")).Entries.Cast<SymbolEntry<ulong>>().ToDictionary(s => s.Name, s => s.Value, StringComparer.Ordinal);
        var lookup = (Section<ulong>)elf.GetSection(OrcSectionLayout.LookupSection);
        var readBack = new OrcTable(ips, entries, symbols[OrcSectionLayout.TextStartSymbol], symbols[OrcSectionLayout.TextEndSymbol]);

        Assert.Multiple(() =>
        {
            Assert.That(readBack.Ips, Is.EqualTo(orc.Ips));
            Assert.That(readBack.Entries, Is.EqualTo(orc.Entries));
            Assert.That((readBack.TextStart, readBack.TextEnd), Is.EqualTo((orc.TextStart, orc.TextEnd)));
            Assert.That(readBack.Lookup, Is.EqualTo(orc.Lookup));
            Assert.That(lookup.Type, Is.EqualTo(SectionType.NoBits));
            Assert.That(lookup.Size, Is.EqualTo((ulong)orc.LookupTableBytes));
            Assert.That(symbols["__start_orc_unwind_ip"], Is.EqualTo(ipSection.LoadAddress));
            Assert.That(symbols["orc_lookup_end"] - symbols["orc_lookup"], Is.EqualTo((ulong)orc.LookupTableBytes));
        });
    }

    private static SymbolType TypeOf(SymbolKind kind) => kind switch
    {
        SymbolKind.Data => SymbolType.Object,
        SymbolKind.Label => SymbolType.NotSpecified,
        _ => SymbolType.Function,
    };
}
