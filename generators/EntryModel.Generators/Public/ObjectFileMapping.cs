using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using EntryModel.Generators.Encoding;

namespace EntryModel.Generators.Public;

/// <summary>The public, immutable view of the assembler's internal <see cref="RelocatableObject"/>.</summary>
internal static class ObjectFileMapping
{
    public static AssembledObjectFile From(string sourceName, RelocatableObject elf, IReadOnlyList<AssemblyDiagnostic> diagnostics)
    {
        var sections = elf.Sections.Select(s => new ObjectFileSection(
            s.Name,
            Math.Max(1, s.Align),
            (s.Permissions & SectionMap.Writable) != 0,
            (s.Permissions & SectionMap.Executable) != 0,
            s.Flags,
            new ReadOnlyCollection<byte>((byte[])s.Bytes.Clone()),
            ReadOnly(s.Relocations.Select(r => new ObjectFileRelocation(r.Offset, r.Type, r.Symbol, r.Addend, r.AgainstSection))),
            s.ElfType,
            s.EntrySize));
        var symbols = elf.Symbols.Select(s => new ObjectFileSymbol(
            s.Name,
            s.Section is null or "*ABS*" ? null : s.Section,
            s.Section == "*ABS*",
            s.Value,
            s.Size,
            (ObjectFileSymbolType)s.Type,
            (ObjectFileBinding)(int)s.Binding));
        return new AssembledObjectFile(sourceName, ReadOnly(sections), ReadOnly(symbols), ReadOnly(diagnostics), elf.Machine);
    }

    private static ReadOnlyCollection<T> ReadOnly<T>(IEnumerable<T> items) => new ReadOnlyCollection<T>(items.ToList());
}
