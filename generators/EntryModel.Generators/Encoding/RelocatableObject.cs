using System;
using System.Collections.Generic;
using System.Linq;
using EntryModel.Generators.Diagnostics;
using EntryModel.Generators.Model;

namespace EntryModel.Generators.Encoding;

/// <summary>
/// An ELF relocation as GNU as writes it: the field's offset, the type (x86-64's, or i386's in a
/// 32-bit object), the symbol (a section's own name for a section symbol, then
/// <see cref="AgainstSection"/>) and the addend (in a 32-bit object's REL entries, the one the
/// field's bytes hold).
/// </summary>
internal sealed record ElfRelocationEntry(long Offset, int Type, string Symbol, long Addend, bool AgainstSection = false);

/// <summary>
/// A section of a relocatable object: its bytes (relocated fields hold 0 in a RELA object, their addend in a REL one),
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
/// are not symbols; absolute <c>.set</c> constants are local absolute symbols. A 32-bit object
/// (as <c>--32</c>) has i386's types (a branch is R_386_PC32 too) and REL entries: the addend is
/// written into the field.
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

    // i386 relocation types (the i386 psABI's numbers).
    public const int I386R32 = 1;
    public const int I386Pc32 = 2;
    public const int I386R16 = 20;
    public const int I386R8 = 22;
    public const int I386Pc8 = 23;

    // ELF symbol types.
    public const int SttNoType = 0;
    public const int SttObject = 1;
    public const int SttFunc = 2;

    private RelocatableObject(IReadOnlyList<ElfSectionEntry> sections, IReadOnlyList<ElfSymbolEntry> symbols, Public.ObjectFileMachine machine)
    {
        Sections = sections;
        Symbols = symbols;
        Machine = machine;
    }

    /// <summary>x86-64 (ELF64, RELA) or i386 (ELF32, REL).</summary>
    public Public.ObjectFileMachine Machine { get; }

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
                var relocation = Relocation(obj, byName, x);
                bool rel = obj.Machine == Public.ObjectFileMachine.I386;
                for (int k = 0; k < x.Size; k++)
                {
                    bytes[x.Offset + k] = rel && k < 8 ? (byte)(relocation.Addend >> (8 * k)) : (byte)0;
                }

                relocations.Add(relocation);
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

        return new RelocatableObject(sections, symbols, obj.Machine);
    }

    /// <summary>
    /// The fields of an i386 object whose in-place addend does not fit, as as --32 reports them ("value of
    /// 300 too large for field of 1 byte"): a 1- or 2-byte field takes -(2^bits - 1) .. 2^bits - 1; a
    /// 4-byte one any addend (its low 32 bits, as GNU as writes it). A RELA object's addend is the
    /// relocation's own, checked by the linker, so an x86-64 object has none of these.
    /// </summary>
    public static IEnumerable<AsmDiagnostic> AddendsThatDoNotFit(DeclarationObject obj)
    {
        if (obj.Machine != Public.ObjectFileMachine.I386)
        {
            yield break;
        }

        var byName = new Dictionary<string, ObjectSymbol>(StringComparer.Ordinal);
        foreach (var s in obj.Symbols)
        {
            byName[s.Name] = s;
        }

        foreach (var x in obj.Fixups.Where(x => !x.PcRelative && x.Size < 4))
        {
            long addend = Relocation(obj, byName, x).Addend;
            ulong mask = ulong.MaxValue << (8 * x.Size);
            if ((unchecked((ulong)addend) & mask) != 0 && (unchecked((ulong)-addend) & mask) != 0)
            {
                string bytes = x.Size == 1 ? "1 byte" : $"{x.Size} bytes";
                yield return new AsmDiagnostic(DiagnosticIds.ValueOutOfRange, $"value of {addend} too large for field of {bytes} (a 32-bit object's REL field holds its addend)", x.SourceDeclaration, x.SourceOffset, x.SourceLength);
            }
        }
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

        int type = obj.Machine == Public.ObjectFileMachine.I386 ? I386Type(x) : x.Kind switch
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

    /// <summary>The i386 type of a field: there is no PLT32 for a non-PIC branch, and a 64-bit field is refused before (ObjectBuilder).</summary>
    private static int I386Type(ObjectFixup x) => x.Kind switch
    {
        RelocationKinds.Relative8 => I386Pc8,
        RelocationKinds.Absolute16 => I386R16,
        RelocationKinds.Absolute8 => I386R8,
        RelocationKinds.Relative32 => I386Pc32,
        _ => I386R32,
    };

    /// <summary>Whether a label is an ELF symbol: <c>.L</c> and numeric local labels are not.</summary>
    private static bool IsSymbol(string name)
    {
        string shown = Display(name);
        return shown.Length > 0 && !shown.StartsWith(".L", StringComparison.Ordinal) && !char.IsDigit(shown[0]) && name.IndexOf("\u0001v", StringComparison.Ordinal) < 0;
    }

    private static string Display(string name) => ExpressionEvaluator.Display(name);
}
