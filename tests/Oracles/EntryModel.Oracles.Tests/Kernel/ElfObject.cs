using ELFSharp.ELF;
using ELFSharp.ELF.Sections;

namespace EntryModel.Oracles.Tests.Kernel;

/// <summary>A relocation as an ELF object records it: where, which type, against which symbol, with which addend.</summary>
internal sealed record ElfRelocation(ulong Offset, uint Type, string Symbol, long Addend);

/// <summary>One section of a relocatable object: its bytes (NOBITS: only a size) and its relocations.</summary>
internal sealed record ElfSection(string Name, byte[] Bytes, bool NoBits, IReadOnlyList<ElfRelocation> Relocations);

/// <summary>
/// The sections of an ELF64 relocatable object, read with ELFSharp. RELA entries are decoded here
/// (24 bytes: offset, info = symbol &lt;&lt; 32 | type, addend); a section symbol is named by its section.
/// </summary>
internal static class ElfObject
{
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
            result[section.Name] = new ElfSection(section.Name, bytes, noBits, relocations);
        }

        return result;
    }
}
