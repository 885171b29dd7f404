using System;
using System.Collections.Generic;
using System.Linq;

namespace EntryModel.Generators.Encoding;

/// <summary>
/// An ELF relocation as GNU as writes it: the field's offset, the x86-64 type, the symbol (a
/// section's own name for a section symbol, then <see cref="AgainstSection"/>) and the addend.
/// </summary>
internal sealed record ElfRelocationEntry(long Offset, int Type, string Symbol, long Addend, bool AgainstSection = false);

/// <summary>
/// A section of a relocatable object: its bytes (relocated fields hold 0, as in a RELA object),
/// alignment, permissions, relocations, and its <c>.section</c> flags as written (null when none).
/// </summary>
internal sealed record ElfSectionEntry(string Name, int Align, int Permissions, byte[] Bytes, IReadOnlyList<ElfRelocationEntry> Relocations, string? Flags = null, string? ElfType = null, long EntrySize = 0);

/// <summary>
/// A symbol of a relocatable object: defined in <see cref="Section"/> at <see cref="Value"/>,
/// absolute (<see cref="Section"/> "*ABS*"), or undefined (null); ELF type (STT_*), size and binding.
/// </summary>
internal sealed record ElfSymbolEntry(string Name, string? Section, long Value, long Size, int Type, SymbolBinding Binding);

/// <summary>
/// One declaration's object in ELF's terms, choosing what GNU as chooses: a relocation against a
/// local symbol names its section and adds the symbol's offset; one against a global, weak or
/// undefined symbol names the symbol; a PC-relative addend counts from the field (S + A - P); a
/// branch to a global or undefined symbol is R_X86_64_PLT32. Local labels (<c>.L</c>, numeric)
/// are not symbols; absolute <c>.set</c> constants are local absolute symbols.
/// </summary>
internal sealed class RelocatableObject
{
    // x86-64 relocation types (the psABI's numbers).
    public const int R64 = 1;
    public const int Pc32 = 2;
    public const int Plt32 = 4;
    public const int R32 = 10;
    public const int R32S = 11;
    public const int R16 = 12;
    public const int R8 = 14;
    public const int Pc8 = 15;

    // ELF symbol types.
    public const int SttNoType = 0;
    public const int SttObject = 1;
    public const int SttFunc = 2;

    private RelocatableObject(IReadOnlyList<ElfSectionEntry> sections, IReadOnlyList<ElfSymbolEntry> symbols)
    {
        Sections = sections;
        Symbols = symbols;
    }

    public IReadOnlyList<ElfSectionEntry> Sections { get; }

    public IReadOnlyList<ElfSymbolEntry> Symbols { get; }

    public static RelocatableObject From(DeclarationObject obj)
    {
        var byName = new Dictionary<string, ObjectSymbol>(StringComparer.Ordinal);
        foreach (var s in obj.Symbols)
        {
            byName[s.Name] = s;
        }

        var sections = new List<ElfSectionEntry>();
        for (int i = 0; i < obj.Fragments.Count; i++)
        {
            var f = obj.Fragments[i];
            var bytes = f.Bytes.Items.ToArray();
            var relocations = new List<ElfRelocationEntry>();
            foreach (var x in obj.Fixups.Where(x => x.Fragment == i).OrderBy(x => x.Offset))
            {
                Array.Clear(bytes, (int)x.Offset, x.Size);
                relocations.Add(Relocation(obj, byName, x));
            }

            sections.Add(new ElfSectionEntry(f.Section, f.Align, f.Permissions, bytes, relocations, f.Flags, f.ElfType, f.EntrySize));
        }

        var symbols = new List<ElfSymbolEntry>();
        foreach (var s in obj.Symbols)
        {
            if (!IsSymbol(s.Name))
            {
                continue;
            }

            string? section = s.Fragment >= 0 ? obj.Fragments[s.Fragment].Section : "*ABS*";
            int type = s.ElfType switch { 0 => SttFunc, 3 => SttObject, _ => SttNoType };
            symbols.Add(new ElfSymbolEntry(Display(s.Name), section, s.Offset, s.ElfSize ?? 0, type, s.Binding));
        }

        // Undefined symbols: the ones relocations name that the object does not define.
        foreach (var name in obj.Fixups.Select(x => x.Symbol).Distinct(StringComparer.Ordinal).Where(n => !byName.ContainsKey(n)).OrderBy(n => n, StringComparer.Ordinal))
        {
            symbols.Add(new ElfSymbolEntry(Display(name), null, 0, 0, SttNoType, SymbolBinding.Global));
        }

        return new RelocatableObject(sections, symbols);
    }

    private static ElfRelocationEntry Relocation(DeclarationObject obj, Dictionary<string, ObjectSymbol> byName, ObjectFixup x)
    {
        long addend = x.ElfAddend;
        bool defined = byName.TryGetValue(x.Symbol, out var symbol);
        // A symbol in a mergeable section stays: the linker may move the entry it names.
        bool local = defined && symbol!.Binding == SymbolBinding.Local && symbol.Fragment >= 0 && !obj.Fragments[symbol.Fragment].Mergeable;
        string target = local ? obj.Fragments[symbol!.Fragment].Section : Display(x.Symbol);
        if (local)
        {
            addend += symbol!.Offset;
        }

        int type = x.Kind switch
        {
            RelocationKinds.Absolute64 => R64,
            RelocationKinds.Absolute32 => R32,
            RelocationKinds.Absolute32Signed => R32S,
            RelocationKinds.Relative8 => Pc8,
            RelocationKinds.Absolute16 => R16,
            RelocationKinds.Absolute8 => R8,
            _ => x.IsBranch && !local ? Plt32 : Pc32,
        };
        return new ElfRelocationEntry(x.Offset, type, target, addend, local);
    }

    /// <summary>Whether a label is an ELF symbol: <c>.L</c> and numeric local labels are not.</summary>
    private static bool IsSymbol(string name)
    {
        string shown = Display(name);
        return shown.Length > 0 && !shown.StartsWith(".L", StringComparison.Ordinal) && !char.IsDigit(shown[0]) && name.IndexOf("\u0001v", StringComparison.Ordinal) < 0;
    }

    private static string Display(string name) => ExpressionEvaluator.Display(name);
}
