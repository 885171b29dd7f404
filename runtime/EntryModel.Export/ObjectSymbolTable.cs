using EntryModel.Generators.Public;
using LibObjectFile.Elf;

namespace EntryModel.Export;

/// <summary>
/// The .symtab GNU as writes for an object: the null entry, then the locals (a section symbol for
/// each section a relocation names, then the local labels and constants), then the globals, weak
/// and undefined symbols, with each name's index for the relocations.
/// </summary>
internal sealed class ObjectSymbolTable
{
    private readonly Dictionary<string, uint> symbols = new(StringComparer.Ordinal);
    private readonly Dictionary<string, uint> sectionSymbols = new(StringComparer.Ordinal);

    private ObjectSymbolTable(ElfSymbolTable table) => Table = table;

    public ElfSymbolTable Table { get; }

    /// <summary>Whether there is anything to write: GNU as leaves out an empty symbol table.</summary>
    public bool IsEmpty => Table.Entries.Count == 1;

    /// <summary>The table for <paramref name="file"/>, aligned to <paramref name="align"/> (the ELF class's word: 8, or 4 in ELF32).</summary>
    public static ObjectSymbolTable Build(AssembledObjectFile file, IReadOnlyDictionary<string, ElfSection> sections, ElfStringTable names, uint align = 8)
    {
        var result = new ObjectSymbolTable(new ElfSymbolTable(isDynamic: false) { Link = names, VirtualAddressAlignment = align, FileAlignment = align });
        var named = file.Sections.SelectMany(s => s.Relocations).Where(r => r.AgainstSection).Select(r => r.Symbol).ToHashSet(StringComparer.Ordinal);
        foreach (var section in file.Sections.Where(s => named.Contains(s.Name)))
        {
            result.sectionSymbols[section.Name] = result.Add(new ElfSymbol { Type = ElfSymbolType.Section, Bind = ElfSymbolBind.Local, SectionLink = sections[section.Name] });
        }

        // ELF wants every local before the first global.
        foreach (var symbol in file.Symbols.Where(s => s.Binding == ObjectFileBinding.Local).Concat(file.Symbols.Where(s => s.Binding != ObjectFileBinding.Local)))
        {
            result.symbols[symbol.Name] = result.Add(new ElfSymbol
            {
                Name = symbol.Name,
                Value = (ulong)symbol.Value,
                Size = (ulong)symbol.Size,
                Type = (ElfSymbolType)(int)symbol.Type,
                Bind = (ElfSymbolBind)(int)symbol.Binding,
                SectionLink = symbol.IsAbsolute ? ElfSectionLink.SectionAbsolute : symbol.Section is { } s ? sections[s] : ElfSectionLink.Empty,
            });
        }

        return result;
    }

    /// <summary>The index of the symbol a relocation names: its section's symbol, or the symbol itself.</summary>
    public uint IndexOf(ObjectFileRelocation relocation) =>
        (relocation.AgainstSection ? sectionSymbols : symbols).TryGetValue(relocation.Symbol, out uint index)
            ? index
            : throw new InvalidOperationException($"relocation at 0x{relocation.Offset:x} names '{relocation.Symbol}', which the object's symbols do not hold");

    private uint Add(ElfSymbol symbol)
    {
        Table.Entries.Add(symbol);
        return (uint)(Table.Entries.Count - 1);
    }
}
