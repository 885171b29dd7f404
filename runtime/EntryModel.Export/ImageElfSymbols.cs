using LibObjectFile.Elf;

namespace EntryModel.Export;

/// <summary>
/// The .symtab of an exported image: every image symbol as a global with its address and size, in
/// the ELF section of the chunk that holds it, typed as vmlinux types it: functions, entry code and
/// the fake <c>pt_regs</c> marker are STT_FUNC (the marker must be a function for gdb and kallsyms
/// to name return addresses into it), data is STT_OBJECT, and a label made global inside another
/// symbol's body (the kernel's <c>GLOBAL()</c>) is STT_NOTYPE.
/// </summary>
internal static class ImageElfSymbols
{
    public static ElfSymbolType TypeOf(SymbolKind kind) => kind switch
    {
        SymbolKind.Function or SymbolKind.Entry or SymbolKind.Marker => ElfSymbolType.Function,
        SymbolKind.Data => ElfSymbolType.Object,
        SymbolKind.Label => ElfSymbolType.NoType,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "a symbol kind the ELF export does not know"),
    };

    /// <summary>
    /// The table for <paramref name="image"/>; <paramref name="sectionOf"/> finds the ELF section of the chunk
    /// holding an address, and <paramref name="extra"/> adds the writer's own symbols (null section: absolute).
    /// </summary>
    public static ElfSymbolTable Build(
        KernelImage image,
        Func<ulong, ElfSection?> sectionOf,
        Func<string, ElfSection> sectionNamed,
        IEnumerable<(string Name, string? Section, ulong Address)> extra,
        ElfStringTable names)
    {
        var table = new ElfSymbolTable(isDynamic: false) { Link = names, VirtualAddressAlignment = 8, FileAlignment = 8 };
        foreach (var symbol in image.Symbols.All)
        {
            var section = sectionOf(symbol.Address)
                ?? throw new InvalidOperationException($"{image}: symbol {symbol.Name} at 0x{symbol.Address:x} lies in no chunk of the image");
            table.Entries.Add(new ElfSymbol
            {
                Name = symbol.Name,
                Value = symbol.Address,
                Size = symbol.Size,
                Type = TypeOf(symbol.Kind),
                Bind = ElfSymbolBind.Global,
                SectionLink = section,
            });
        }

        foreach (var (name, section, address) in extra)
        {
            table.Entries.Add(new ElfSymbol
            {
                Name = name,
                Value = address,
                Type = ElfSymbolType.NoType,
                Bind = ElfSymbolBind.Global,
                SectionLink = section is null ? ElfSectionLink.SectionAbsolute : sectionNamed(section),
            });
        }

        return table;
    }
}
