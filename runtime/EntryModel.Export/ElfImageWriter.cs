using System.Numerics;
using EntryModel.Export.Dwarf;
using LibObjectFile.Diagnostics;
using LibObjectFile.Elf;

namespace EntryModel.Export;

/// <summary>
/// Writes a linked <see cref="KernelImage"/> as a vmlinux-like ELF64 x86-64 executable (ET_EXEC):
/// each chunk a PROGBITS section at its address, named after the image section it belongs to
/// (chunks sit at scattered addresses, so one image section can be several ELF sections of the same
/// name, as with ld -r), with SHF_ALLOC and the chunk's SHF_WRITE/SHF_EXECINSTR, and a PT_LOAD
/// segment of its own: the PT_LOAD segments are exactly the memory the machine maps for the image.
/// Then the ORC tables under the kernel's section names when the strategy has them (allocated at
/// addresses past the image, outside any PT_LOAD since the machine does not map them) with the
/// <c>.eh_frame</c> the rows say (<see cref="OrcCallFrames"/>) so that gdb unwinds that code, the
/// DWARF line information mapping each instruction to its C# source line (<see cref="ImageDebugLines"/>,
/// non-allocated as in vmlinux), and the symbol table. The ELF container is LibObjectFile's; the DWARF
/// bytes are our own encoder's (LibObjectFile's refuses kernel addresses).
/// </summary>
public static class ElfImageWriter
{
    /// <summary>The largest alignment an address's low bits can promise a section: a page.</summary>
    private const ulong PageSize = 0x1000;

    /// <summary>Writes the image to <paramref name="path"/>; nothing is written when LibObjectFile refuses it.</summary>
    public static void WriteFile(KernelImage image, string path)
    {
        using var buffer = new MemoryStream();
        Write(image, buffer);
        File.WriteAllBytes(path, buffer.ToArray());
    }

    public static void Write(KernelImage image, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(stream);

        // The default contents: the null section and the program header table, right after the ELF header.
        var elf = new ElfFile(ElfArch.X86_64, addDefaultSections: true) { FileType = ElfFileType.Executable };
        var chunkSections = new List<(ImageChunk Chunk, ElfSection Section)>();
        foreach (var chunk in image.Chunks.Where(c => c.Bytes.Length > 0).OrderBy(c => c.Address))
        {
            var section = elf.Add(ChunkSection(chunk));
            chunkSections.Add((chunk, section));
            elf.Segments.Add(LoadSegment(chunk, section));
        }

        var named = new Dictionary<string, ElfSection>(StringComparer.Ordinal);
        var extraSymbols = new List<(string Name, string? Section, ulong Address)>();
        if (image.Orc is not null)
        {
            var orc = new OrcSectionLayout(image);
            named[OrcSectionLayout.IpSection] = elf.Add(OrcSection(OrcSectionLayout.IpSection, orc.IpAddress, 4, orc.Table.IpTable(orc.IpAddress)));
            named[OrcSectionLayout.EntrySection] = elf.Add(OrcSection(OrcSectionLayout.EntrySection, orc.EntryAddress, 2, orc.Table.EntryTable()));

            // The kernel fills orc_lookup at boot (orc_init), so vmlinux only reserves it: NOBITS.
            named[OrcSectionLayout.LookupSection] = elf.Add(new ElfNoBitsSection
            {
                Name = OrcSectionLayout.LookupSection,
                Size = (ulong)orc.Table.LookupTableBytes,
                VirtualAddress = orc.LookupAddress,
                VirtualAddressAlignment = 4,
                Flags = ElfSectionFlags.Alloc,
            });
            extraSymbols.AddRange(orc.Symbols());

            // gdb has no ORC unwinder: it unwinds code without frame pointers by the CFI the rows say.
            var frames = OrcCallFrames.Of(image);
            if (frames.Count > 0)
            {
                named[OrcSectionLayout.EhFrameSection] = elf.Add(OrcSection(OrcSectionLayout.EhFrameSection, orc.EhFrameAddress, 8, EhFrameEncoder.Encode(frames)));
            }
        }

        foreach (var (name, bytes) in ImageDebugLines.Sections(image))
        {
            elf.Add(DebugSection(name, bytes));
        }

        var names = new ElfStringTable { VirtualAddressAlignment = 1 };
        elf.Add(ImageElfSymbols.Build(image, address => SectionHolding(chunkSections, address), name => named[name], extraSymbols, names));
        elf.Add(names);
        elf.Add(new ElfSectionHeaderStringTable { VirtualAddressAlignment = 1 });
        elf.Add(new ElfSectionHeaderTable());
        if (!elf.TryWrite(stream, out DiagnosticBag diagnostics))
        {
            throw new InvalidOperationException($"LibObjectFile refused the image of {image}: {string.Join("; ", diagnostics.Messages)}");
        }
    }

    /// <summary>The alignment an address shows (its lowest set bit), at most a page: file offsets keep it, so p_offset and p_vaddr agree modulo p_align.</summary>
    public static ulong AlignmentOf(ulong address) => address == 0 ? PageSize : Math.Min(PageSize, 1UL << BitOperations.TrailingZeroCount(address));

    private static ElfStreamSection ChunkSection(ImageChunk chunk)
    {
        ulong alignment = AlignmentOf(chunk.Address);
        var flags = ElfSectionFlags.Alloc;
        if (chunk.Flags.HasFlag(SectionPermissions.Writable))
        {
            flags |= ElfSectionFlags.Write;
        }

        if (chunk.Flags.HasFlag(SectionPermissions.Executable))
        {
            flags |= ElfSectionFlags.Executable;
        }

        return new ElfStreamSection(ElfSectionType.ProgBits, new MemoryStream(chunk.Bytes, writable: false))
        {
            Name = chunk.Section,
            VirtualAddress = chunk.Address,
            Flags = flags,
            VirtualAddressAlignment = alignment,
            FileAlignment = (uint)alignment,
        };
    }

    private static ElfSegment LoadSegment(ImageChunk chunk, ElfSection section)
    {
        var flags = ElfSegmentFlagsCore.Readable;
        if (chunk.Flags.HasFlag(SectionPermissions.Writable))
        {
            flags |= ElfSegmentFlagsCore.Writable;
        }

        if (chunk.Flags.HasFlag(SectionPermissions.Executable))
        {
            flags |= ElfSegmentFlagsCore.Executable;
        }

        return new ElfSegment
        {
            Type = ElfSegmentTypeCore.Load,
            Range = section,
            VirtualAddress = chunk.Address,
            PhysicalAddress = chunk.Address,
            SizeInMemory = (ulong)chunk.Bytes.Length,
            Flags = flags,
            VirtualAddressAlignment = section.VirtualAddressAlignment,
        };
    }

    private static ElfStreamSection OrcSection(string name, ulong address, uint alignment, byte[] bytes) =>
        new(ElfSectionType.ProgBits, new MemoryStream(bytes, writable: false))
        {
            Name = name,
            VirtualAddress = address,
            Flags = ElfSectionFlags.Alloc,
            VirtualAddressAlignment = alignment,
            FileAlignment = alignment,
        };

    private static ElfStreamSection DebugSection(string name, byte[] bytes) =>
        new(ElfSectionType.ProgBits, new MemoryStream(bytes, writable: false))
        {
            Name = name,
            VirtualAddressAlignment = 1,
            FileAlignment = 1,
        };

    private static ElfSection? SectionHolding(List<(ImageChunk Chunk, ElfSection Section)> sections, ulong address)
    {
        foreach (var (chunk, section) in sections)
        {
            if (address >= chunk.Address && address < chunk.End)
            {
                return section;
            }
        }

        return null;
    }
}
