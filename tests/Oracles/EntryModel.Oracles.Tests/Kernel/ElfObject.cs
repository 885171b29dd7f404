using System.Globalization;
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
/// The sections of an ELF relocatable object, read with ELFSharp: ELF64 (x86-64, RELA) or ELF32
/// (i386, REL). Relocation entries are decoded here — RELA's 24 bytes: offset, info = symbol
/// &lt;&lt; 32 | type, addend; REL's 8: offset, info = symbol &lt;&lt; 8 | type, and the addend the
/// field holds (its width by the i386 type) — and a section symbol is named by its section.
/// </summary>
internal static class ElfObject
{
    /// <summary>
    /// The symbols of the object's .symtab, without section and file symbols. Names and types come
    /// through ELFSharp; the section index is read from the raw entry (st_shndx at byte 6 of each
    /// 24-byte ELF64 entry, byte 14 of each 16-byte ELF32 one), since ELFSharp reports SHN_UNDEF and SHN_ABS alike.
    /// </summary>
    public static List<ElfSymbol> Symbols(string path) => Is32(path) ? Symbols<uint>(path) : Symbols<ulong>(path);

    public static Dictionary<string, ElfSection> Read(string path) => Is32(path) ? Read<uint>(path) : Read<ulong>(path);

    /// <summary>Whether the file is ELFCLASS32 (e_ident[EI_CLASS] = 1).</summary>
    private static bool Is32(string path)
    {
        using var stream = File.OpenRead(path);
        var ident = new byte[5];
        return stream.Read(ident, 0, 5) == 5 && ident[4] == 1;
    }

    private static List<ElfSymbol> Symbols<T>(string path)
        where T : struct
    {
        bool is32 = typeof(T) == typeof(uint);
        using var elf = ELFReader.Load<T>(path);
        var result = new List<ElfSymbol>();
        if (!elf.TryGetSection(".symtab", out var table) || table is not ISymbolTable symbols)
        {
            return result;
        }

        byte[] raw = table.GetContents();
        var sections = elf.Sections.ToList();
        int index = 0;
        foreach (SymbolEntry<T> s in symbols.Entries)
        {
            int at = (index++ * (is32 ? 16 : 24)) + (is32 ? 14 : 6);
            if (s.Name.Length == 0 || s.Type is SymbolType.Section or SymbolType.File)
            {
                continue;
            }

            ushort shndx = BitConverter.ToUInt16(raw, at);
            string? section = shndx switch
            {
                0 => null,
                0xfff1 => "*ABS*",
                _ when shndx < sections.Count => sections[shndx].Name,
                _ => $"#{shndx}",
            };
            int type = s.Type switch { SymbolType.Function => 2, SymbolType.Object => 1, _ => 0 };
            int binding = s.Binding switch { SymbolBinding.Global => 1, SymbolBinding.Weak => 2, _ => 0 };
            result.Add(new ElfSymbol(s.Name, section, Convert.ToInt64(s.Value, CultureInfo.InvariantCulture), Convert.ToInt64(s.Size, CultureInfo.InvariantCulture), type, binding));
        }

        return result;
    }

    private static Dictionary<string, ElfSection> Read<T>(string path)
        where T : struct
    {
        bool is32 = typeof(T) == typeof(uint);
        using var elf = ELFReader.Load<T>(path);
        var symbols = elf.TryGetSection(".symtab", out var table) ? table as ISymbolTable : null;
        var names = new List<string>();
        if (symbols != null)
        {
            foreach (SymbolEntry<T> s in symbols.Entries)
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

            var header = (Section<T>)section;
            bool noBits = section.Type == SectionType.NoBits;
            byte[] bytes = noBits ? new byte[Convert.ToInt32(header.Size, CultureInfo.InvariantCulture)] : section.GetContents();
            var relocations = new List<ElfRelocation>();
            if (!is32 && elf.TryGetSection(".rela" + section.Name, out var rela))
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
            else if (is32 && elf.TryGetSection(".rel" + section.Name, out var rel))
            {
                byte[] raw = rel.GetContents();
                for (int at = 0; at + 8 <= raw.Length; at += 8)
                {
                    uint offset = BitConverter.ToUInt32(raw, at);
                    uint info = BitConverter.ToUInt32(raw, at + 4);
                    int symbol = (int)(info >> 8);
                    uint type = info & 0xff;
                    relocations.Add(new ElfRelocation(offset, type, symbol < names.Count ? names[symbol] : $"#{symbol}", ImplicitAddend(bytes, (int)offset, type)));
                }
            }

            result[section.Name] = new ElfSection(section.Name, bytes, noBits, relocations, Convert.ToInt64(header.Alignment, CultureInfo.InvariantCulture), (header.Flags & SectionFlags.Executable) != 0, (header.Flags & SectionFlags.Writable) != 0);
        }

        return result;
    }

    /// <summary>A REL entry's addend: the signed value of the field, 4 bytes for R_386_32/PC32, 2 for R_386_16/PC16, 1 for R_386_8/PC8.</summary>
    internal static long ImplicitAddend(byte[] bytes, int offset, uint type) => type switch
    {
        20 or 21 => BitConverter.ToInt16(bytes, offset),
        22 or 23 => (sbyte)bytes[offset],
        _ => BitConverter.ToInt32(bytes, offset),
    };
}
