using EntryModel.Generators.Public;
using LibObjectFile.Diagnostics;
using LibObjectFile.Elf;

namespace EntryModel.Export;

/// <summary>
/// Writes an assembled GAS file as a relocatable object (ET_REL) — ELF64 x86-64 with RELA
/// relocations, or for a file assembled as <c>as --32</c> ELF32 i386 with REL ones (the addends
/// are in the section bytes already) — as GNU as lays it out in every way a linker or readelf
/// sees: .text, .data and .bss first (GNU as always has them), then the sections in the order the
/// text used them, each followed by its .rela (.rel) section; then .symtab, .strtab and
/// .shstrtab. The ELF encoding itself is LibObjectFile's.
/// </summary>
public static class ElfObjectWriter
{
    private static readonly string[] AlwaysPresent = [".text", ".data", ".bss"];

    /// <summary>Writes <paramref name="file"/> to <paramref name="path"/>; an object with errors is refused.</summary>
    public static void WriteFile(AssembledObjectFile file, string path)
    {
        using var stream = File.Create(path);
        Write(file, stream);
    }

    /// <summary>Writes <paramref name="file"/> to <paramref name="stream"/>; an object with errors is refused.</summary>
    public static void Write(AssembledObjectFile file, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(stream);
        if (file.HasErrors)
        {
            throw new InvalidOperationException($"{file.SourceName} has {file.Diagnostics.Count} errors, first {file.Diagnostics[0]}: there is no object to write");
        }

        bool i386 = file.Machine == ObjectFileMachine.I386;
        var elf = i386
            ? new ElfFile(ElfArch.I386, ElfFileClass.Is32, ElfEncoding.Lsb, addDefaultSections: false)
            : new ElfFile(ElfArch.X86_64, addDefaultSections: false);
        elf.Add(new ElfNullSection());

        var ordered = InGnuOrder(file);
        uint pointerSize = i386 ? 4u : 8u;
        var sections = ordered.ToDictionary(s => s.Name, s => Section(s, pointerSize), StringComparer.Ordinal);
        var names = new ElfStringTable { VirtualAddressAlignment = 1 };
        var symbols = ObjectSymbolTable.Build(file, sections, names, pointerSize);
        foreach (var section in ordered)
        {
            elf.Add(sections[section.Name]);
            if (section.Relocations.Count > 0)
            {
                elf.Add(Relocations(elf, section, sections[section.Name], symbols, withAddends: !i386));
            }
        }

        if (!symbols.IsEmpty || ordered.Any(s => s.Relocations.Count > 0))
        {
            elf.Add(symbols.Table);
            elf.Add(names);
        }

        elf.Add(new ElfSectionHeaderStringTable { VirtualAddressAlignment = 1 });
        elf.Add(new ElfSectionHeaderTable());
        if (!elf.TryWrite(stream, out DiagnosticBag diagnostics))
        {
            throw new InvalidOperationException($"LibObjectFile refused the object of {file.SourceName}: {string.Join("; ", diagnostics.Messages)}");
        }
    }

    /// <summary>The file's sections, with the empty .text, .data and .bss GNU as always writes.</summary>
    private static List<ObjectFileSection> InGnuOrder(AssembledObjectFile file)
    {
        var result = AlwaysPresent.Select(name => file.Section(name) ?? new ObjectFileSection(name, 1, name != ".text", name == ".text", null, [], [])).ToList();
        result.AddRange(file.Sections.Where(s => !AlwaysPresent.Contains(s.Name, StringComparer.Ordinal)));
        return result;
    }

    private static ElfSection Section(ObjectFileSection section, uint pointerSize)
    {
        var attributes = GnuSectionAttributes.Of(section, pointerSize);
        ElfSection result = attributes.Type == ElfSectionType.NoBits
            ? new ElfNoBitsSection { Size = (ulong)section.Bytes.Count }
            : new ElfStreamSection(attributes.Type, new MemoryStream(section.Bytes.ToArray(), writable: false));
        result.Name = section.Name;
        result.Flags = attributes.Flags;
        result.VirtualAddressAlignment = (ulong)section.Alignment;
        // The file offset keeps the alignment too, as GNU as lays the file out.
        result.FileAlignment = (uint)section.Alignment;
        result.AdditionalTableEntrySize = (uint)attributes.EntrySize;
        return result;
    }

    private static ElfRelocationTable Relocations(ElfFile elf, ObjectFileSection section, ElfSection target, ObjectSymbolTable symbols, bool withAddends)
    {
        uint align = withAddends ? 8u : 4u;
        var table = new ElfRelocationTable(relocationWithAddends: withAddends)
        {
            Name = (withAddends ? ".rela" : ".rel") + section.Name,
            Link = symbols.Table,
            Info = target,
            // SHF_INFO_LINK: sh_info holds the section the entries apply to.
            Flags = ElfSectionFlags.InfoLink,
            VirtualAddressAlignment = align,
            FileAlignment = align,
        };
        foreach (var r in section.Relocations)
        {
            // A REL entry has no addend field: the section's bytes hold it.
            table.Entries.Add(new ElfRelocation((ulong)r.Offset, new ElfRelocationType(elf.Arch, (uint)r.Type), symbols.IndexOf(r), withAddends ? r.Addend : 0));
        }

        return table;
    }
}
