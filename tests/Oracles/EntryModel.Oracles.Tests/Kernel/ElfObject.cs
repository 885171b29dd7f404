using ELFSharp.ELF;
using ELFSharp.ELF.Sections;

namespace EntryModel.Oracles.Tests.Kernel;

/// <summary>A relocation as an ELF object records it: where, which type, against which symbol, with which addend.</summary>
internal sealed record ElfRelocation(ulong Offset, uint Type, string Symbol, long Addend);

/// <summary>One section of a relocatable object: its bytes (NOBITS: only a size) and its relocations.</summary>
internal sealed record ElfSection(string Name, byte[] Bytes, bool NoBits, IReadOnlyList<ElfRelocation> Relocations, long Align = 1, bool Executable = false, bool Writable = false);

/// <summary>A symbol (not a section or file symbol): its section ("*ABS*" absolute, null undefined), value, size, STT type and binding (0 local, 1 global, 2 weak).</summary>
internal sealed record ElfSymbol(string Name, string? Section, long Value, long Size, int Type, int Binding);

/// <summary>
/// The sections of an ELF64 relocatable object, read with ELFSharp. RELA entries are decoded here
/// (24 bytes: offset, info = symbol &lt;&lt; 32 | type, addend); a section symbol is named by its section.
/// </summary>
internal static class ElfObject
{
    /// <summary>
    /// The symbols of the object's .symtab, without section and file symbols. Names and types come
    /// through ELFSharp; the section index is read from the raw entry (st_shndx at byte 6 of each
    /// 24-byte entry), since ELFSharp reports SHN_UNDEF and SHN_ABS alike.
    /// </summary>
    public static List<ElfSymbol> Symbols(string path)
    {
        using var elf = ELFReader.Load<ulong>(path);
        var result = new List<ElfSymbol>();
        if (!elf.TryGetSection(".symtab", out var table) || table is not ISymbolTable symbols)
        {
            return result;
        }

        byte[] raw = table.GetContents();
        var sections = elf.Sections.ToList();
        int index = 0;
        foreach (SymbolEntry<ulong> s in symbols.Entries)
        {
            int at = index++ * 24;
            if (s.Name.Length == 0 || s.Type is SymbolType.Section or SymbolType.File)
            {
                continue;
            }

            ushort shndx = BitConverter.ToUInt16(raw, at + 6);
            string? section = shndx switch
            {
                0 => null,
                0xfff1 => "*ABS*",
                _ when shndx < sections.Count => sections[shndx].Name,
                _ => $"#{shndx}",
            };
            int type = s.Type switch { SymbolType.Function => 2, SymbolType.Object => 1, _ => 0 };
            int binding = s.Binding switch { SymbolBinding.Global => 1, SymbolBinding.Weak => 2, _ => 0 };
            result.Add(new ElfSymbol(s.Name, section, (long)s.Value, (long)s.Size, type, binding));
        }

        return result;
    }

    public static Dictionary<string, ElfSection> Read(string path)
    {
        using var elf = ELFReader.Load<ulong>(path);
        var symbols = elf.TryGetSection(".symtab", out var table) ? table as ISymbolTable : null;
        var names = new List<string>();
        if (symbols != null)
        {
            foreach (SymbolEntry<ulong> s in symbols.Entries)
            {
                names.Add(s.Type == SymbolType.Section && s.PointedSection != null ? s.PointedSection.Name : s.Name);
            }
        }

        var result = new Dictionary<string, ElfSection>(StringComparer.Ordinal);
        foreach (var section in elf.Sections)
        {
            if (section.Type is not (SectionType.ProgBits or SectionType.NoBits or SectionType.Note) || section.Name.Length == 0)
            {
                continue;
            }

            var relocations = new List<ElfRelocation>();
            if (elf.TryGetSection(".rela" + section.Name, out var rela))
            {
                byte[] raw = rela.GetContents();
                for (int at = 0; at + 24 <= raw.Length; at += 24)
                {
                    ulong offset = BitConverter.ToUInt64(raw, at);
                    ulong info = BitConverter.ToUInt64(raw, at + 8);
                    long addend = BitConverter.ToInt64(raw, at + 16);
                    int symbol = (int)(info >> 32);
                    relocations.Add(new ElfRelocation(offset, (uint)info, symbol < names.Count ? names[symbol] : $"#{symbol}", addend));
                }
            }

            bool noBits = section.Type == SectionType.NoBits;
            byte[] bytes = noBits ? new byte[(int)((Section<ulong>)section).Size] : section.GetContents();
            var header = (Section<ulong>)section;
            result[section.Name] = new ElfSection(section.Name, bytes, noBits, relocations, (long)header.Alignment, (header.Flags & SectionFlags.Executable) != 0, (header.Flags & SectionFlags.Writable) != 0);
        }

        return result;
    }
}
