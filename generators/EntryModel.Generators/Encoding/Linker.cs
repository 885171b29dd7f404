using System;
using System.Collections.Generic;
using System.Linq;
using EntryModel.Generators.Diagnostics;
using EntryModel.Generators.Model;
using EntryModel.Generators.Syntax;

namespace EntryModel.Generators.Encoding;

/// <summary>
/// Links one strategy's declaration objects into an image, as ld would: places every fragment,
/// resolves symbols across declarations, fills the fixups (checking that each value fits its field),
/// and collects chunks, kallsyms-like symbols, relocations, the line map and the IDT. It reports
/// only what linking finds; the splitter's and the objects' problems are theirs to report.
/// </summary>
internal static class Linker
{
    public static AssemblyResult Link(ModelSource model, IReadOnlyList<ParsedDeclaration> parsed, IReadOnlyList<DeclarationObject> objects, StrategySource strategy)
    {
        var diagnostics = new List<AsmDiagnostic>();
        var sections = new SectionMap(model.Sections);
        var placed = new List<Placed>();
        foreach (var o in objects)
        {
            for (int i = 0; i < o.Fragments.Count; i++)
            {
                placed.Add(new Placed(o, i));
            }
        }

        Placement.Place(placed, sections);
        var where = placed.ToDictionary(p => (p.Object.Declaration, p.Index));

        var table = Symbols(objects, where, parsed, diagnostics);
        var relocations = new List<AssembledRelocation>();
        var contents = new Dictionary<Placed, byte[]>();
        foreach (var p in placed)
        {
            contents[p] = p.Fragment.Bytes.Items.ToArray();
        }

        var references = new ReferenceFindings();
        foreach (var o in objects)
        {
            foreach (var fixup in o.Fixups)
            {
                Apply(fixup, o.Declaration, where[(o.Declaration, fixup.Fragment)], contents, table, relocations, references);
            }
        }

        diagnostics.AddRange(references.Diagnostics(parsed));

        CheckOverlaps(placed.Where(p => !SectionMap.IsUnallocated(p.Section)).ToList(), parsed, diagnostics);
        var (gates, syscall) = Entries(parsed, where, table, diagnostics);
        var lines = placed
            .SelectMany(p => p.Fragment.Lines.Select(l => new AssembledLine(p.Address + (ulong)l.Offset, l.Length, l.Declaration, l.Line, l.Text, l.MacroStack, l.SourceOffset, l.SourceLength)))
            .OrderBy(l => l.Address)
            .ToList();

        // Debug sections are not part of what is loaded: the image leaves them out, as ld's output has them in no segment.
        var chunks = Chunks(placed.Where(p => !SectionMap.IsUnallocated(p.Section)).ToList(), contents, sections);
        return new AssemblyResult(
            strategy.Name,
            strategy.Description,
            strategy.Defines,
            new EquatableArray<AssembledChunk>(chunks.Where(c => !IsDiscarded(c.Section))),
            new EquatableArray<AssembledSymbol>(VisibleSymbols(objects, where, parsed)),
            new EquatableArray<AssembledRelocation>(relocations.OrderBy(r => r.Address)),
            new EquatableArray<AssembledLine>(lines),
            new EquatableArray<AssembledGate>(gates.OrderBy(g => g.Vector)),
            syscall,
            new EquatableArray<AsmDiagnostic>(diagnostics),
            new EquatableArray<AssembledConstant>(Constants(objects)))
        {
            Discarded = new EquatableArray<AssembledChunk>(chunks.Where(c => IsDiscarded(c.Section))),
        };
    }

    /// <summary>The shared header's constants (the macros' object's), by name.</summary>
    private static IEnumerable<AssembledConstant> Constants(IReadOnlyList<DeclarationObject> objects) =>
        objects.Where(o => o.Declaration == GasAssembler.MacrosOnly)
            .SelectMany(o => o.Symbols)
            .Where(s => s.Fragment < 0 && s.Name.IndexOf('\u0001') < 0)
            .Select(s => new AssembledConstant(s.Name, s.Offset))
            .OrderBy(c => c.Name, StringComparer.Ordinal);

    private sealed class Placed : Placement.IPlaceable
    {
        public Placed(DeclarationObject o, int index)
        {
            Object = o;
            Index = index;
        }

        public DeclarationObject Object { get; }

        public int Index { get; }

        public ObjectFragment Fragment => Object.Fragments[Index];

        public string Section => Fragment.Section;

        public ulong? Fixed => Fragment.IsFixed ? Fragment.ProvisionalAddress : (ulong?)null;

        public int Align => Fragment.Align;

        public long Extent => Fragment.Bytes.Count;

        public bool IsMain => Fragment.IsMain;

        public ulong Address { get; set; }
    }

    private static Dictionary<string, (long Value, ObjectSymbol Symbol, int Declaration)> Symbols(
        IReadOnlyList<DeclarationObject> objects,
        Dictionary<(int, int), Placed> where,
        IReadOnlyList<ParsedDeclaration> parsed,
        List<AsmDiagnostic> diagnostics)
    {
        var table = new Dictionary<string, (long Value, ObjectSymbol Symbol, int Declaration)>(StringComparer.Ordinal);
        foreach (var o in objects)
        {
            foreach (var s in o.Symbols)
            {
                long value = s.Fragment >= 0 ? unchecked((long)where[(o.Declaration, s.Fragment)].Address + s.Offset) : s.Offset;
                if (table.TryGetValue(s.Name, out var first))
                {
                    // The same constant set in two declarations is harmless; anything else is a clash.
                    if (s.Fragment < 0 && first.Symbol.Fragment < 0 && first.Value == value)
                    {
                        continue;
                    }

                    string owner = first.Declaration >= 0 && first.Declaration < parsed.Count ? parsed[first.Declaration].Source.Name : "?";
                    diagnostics.Add(new AsmDiagnostic(DiagnosticIds.DuplicateSymbol, $"symbol '{ExpressionEvaluator.Display(s.Name)}' is already defined (first defined in '{owner}')", s.SourceDeclaration, s.SourceOffset, s.SourceLength));
                    continue;
                }

                table[s.Name] = (value, s, o.Declaration);
            }
        }

        return table;
    }

    /// <summary>
    /// Fills one fixup of the object of declaration <paramref name="referencing"/>. An undefined
    /// symbol is reported at the operand that names it, with the declarations that reference it
    /// (a macro body's reference is every expanding declaration's).
    /// </summary>
    private static void Apply(
        ObjectFixup fixup,
        int referencing,
        Placed p,
        Dictionary<Placed, byte[]> contents,
        Dictionary<string, (long Value, ObjectSymbol Symbol, int Declaration)> table,
        List<AssembledRelocation> relocations,
        ReferenceFindings findings)
    {
        string name = ExpressionEvaluator.Display(fixup.Symbol);
        if (!table.TryGetValue(fixup.Symbol, out var target))
        {
            string what = fixup.Symbol.IndexOf('\u0001') >= 0 && char.IsDigit(name.Length > 0 ? name[0] : 'x') ? $"local label {name}" : $"symbol '{name}'";
            findings.Add(DiagnosticIds.UndefinedSymbol, $"undefined {what}", fixup, referencing, namesReferences: true);
            return;
        }

        long value = unchecked(target.Value + fixup.Addend);
        ulong field = p.Address + (ulong)fixup.Offset;
        if (fixup.PcRelative)
        {
            value = unchecked(value - (long)(p.Address + (ulong)fixup.PcEnd));
        }

        // ld drops a discarded section before it would relocate it: an absolute kernel address in
        // 32 bits there (.long 999b in .discard.intra_function_calls) is no error; validation reads
        // such records by their PC-relative fields or not at all.
        if (!Fits(value, fixup.Kind) && !IsDiscarded(p.Section))
        {
            findings.Add(DiagnosticIds.ValueOutOfRange, $"'{name}' (0x{unchecked(target.Value + fixup.Addend):x}) does not fit this {fixup.Size}-byte {(fixup.PcRelative ? "relative " : string.Empty)}field", fixup, referencing, namesReferences: false);
            return;
        }

        var bytes = contents[p];
        for (int k = 0; k < fixup.Size; k++)
        {
            bytes[fixup.Offset + k] = (byte)(value >> (8 * k));
        }

        if (SectionMap.IsUnallocated(p.Section))
        {
            return;
        }

        // As an ELF relocation: S + A (- P), with P the field's address.
        relocations.Add(new AssembledRelocation(field, fixup.Kind, name, fixup.ElfAddend));
    }

    private static bool Fits(long v, int kind) => kind switch
    {
        RelocationKinds.Absolute64 => true,
        RelocationKinds.Absolute32 => v >= 0 && v <= uint.MaxValue,
        RelocationKinds.Absolute32Signed or RelocationKinds.Relative32 => v >= int.MinValue && v <= int.MaxValue,
        RelocationKinds.Absolute16 => v >= short.MinValue && v <= ushort.MaxValue,
        RelocationKinds.Absolute8 => v >= sbyte.MinValue && v <= byte.MaxValue,
        RelocationKinds.Relative8 => v >= sbyte.MinValue && v <= sbyte.MaxValue,
        _ => false,
    };

    /// <summary>Sections named <c>.discard</c> or <c>.discard.*</c>, which ld drops from the image (objtool reads them from objects).</summary>
    private static bool IsDiscarded(string section) =>
        section == ".discard" || section.StartsWith(".discard.", StringComparison.Ordinal);

    private static void CheckOverlaps(List<Placed> placed, IReadOnlyList<ParsedDeclaration> parsed, List<AsmDiagnostic> diagnostics)
    {
        var ordered = placed.Where(p => p.Extent > 0).OrderBy(p => p.Address).ToList();
        for (int i = 1; i < ordered.Count; i++)
        {
            var a = ordered[i - 1];
            var b = ordered[i];
            if (b.Address < a.Address + (ulong)a.Extent)
            {
                string an = Name(parsed, a.Object.Declaration), bn = Name(parsed, b.Object.Declaration);
                string text = b.Object.Declaration >= 0 ? parsed[b.Object.Declaration].Source.Text : string.Empty;
                int nl = text.IndexOf('\n');
                diagnostics.Add(new AsmDiagnostic(
                    DiagnosticIds.OverlappingAddresses,
                    $"'{bn}' at 0x{b.Address:x} overlaps '{an}' (0x{a.Address:x}..0x{a.Address + (ulong)a.Extent:x})",
                    b.Object.Declaration,
                    0,
                    nl < 0 ? text.Length : nl));
            }
        }
    }

    private static string Name(IReadOnlyList<ParsedDeclaration> parsed, int d) => d >= 0 && d < parsed.Count ? parsed[d].Source.Name : "?";

    private static (List<AssembledGate> Gates, string? Syscall) Entries(
        IReadOnlyList<ParsedDeclaration> parsed,
        Dictionary<(int, int), Placed> where,
        Dictionary<string, (long Value, ObjectSymbol Symbol, int Declaration)> table,
        List<AsmDiagnostic> diagnostics)
    {
        var gates = new List<AssembledGate>();
        string? syscall = null;
        var vectors = new HashSet<int>();
        var mains = where.Values.Where(p => p.IsMain).ToDictionary(p => p.Object.Declaration);
        for (int d = 0; d < parsed.Count; d++)
        {
            var s = parsed[d].Source;
            if (!mains.TryGetValue(d, out var main))
            {
                continue;
            }

            if (s.Kind == DeclarationKind.IdtEntry)
            {
                if (s.Vector < 0 || s.Vector > 255)
                {
                    diagnostics.Add(new AsmDiagnostic(DiagnosticIds.BadDeclaration, $"IDT vector {s.Vector} is out of range (0..255)", d, 0, 0));
                }
                else if (!vectors.Add(s.Vector))
                {
                    diagnostics.Add(new AsmDiagnostic(DiagnosticIds.BadDeclaration, $"IDT vector {s.Vector} is declared twice", d, 0, 0));
                }

                if (s.Ist < 0 || s.Ist > 7)
                {
                    diagnostics.Add(new AsmDiagnostic(DiagnosticIds.BadDeclaration, $"IST index {s.Ist} is out of range (0..7)", d, 0, 0));
                }

                if (!string.IsNullOrEmpty(s.Handler) && !table.ContainsKey(s.Handler!))
                {
                    diagnostics.Add(new AsmDiagnostic(DiagnosticIds.UndefinedSymbol, $"IDT entry '{s.Name}' names handler '{s.Handler}', which no declaration defines", d, 0, 0));
                }

                gates.Add(new AssembledGate(s.Vector, s.Name, main.Address, s.Handler, s.ErrorCode, s.Ist, s.Interrupt, s.Dpl));
            }
            else if (s.Kind == DeclarationKind.SyscallEntry)
            {
                if (syscall != null)
                {
                    diagnostics.Add(new AsmDiagnostic(DiagnosticIds.BadDeclaration, $"a second syscall entry '{s.Name}' (the first is '{syscall}')", d, 0, 0));
                }

                syscall = s.Name;
            }
        }

        return (gates, syscall);
    }

    private static List<AssembledChunk> Chunks(List<Placed> placed, Dictionary<Placed, byte[]> contents, SectionMap sections)
    {
        var chunks = new List<AssembledChunk>();
        foreach (var group in placed.Where(p => p.Extent > 0).GroupBy(p => p.Section))
        {
            // The model's mapping, and what the objects learnt from the text's own .section flags ("ax").
            int permissions = sections.Permissions(group.Key);
            foreach (var p in group)
            {
                permissions |= p.Fragment.Permissions;
            }

            List<byte>? run = null;
            ulong runStart = 0;
            foreach (var p in group.OrderBy(p => p.Address))
            {
                if (run != null && runStart + (ulong)run.Count == p.Address)
                {
                    run.AddRange(contents[p]);
                    continue;
                }

                if (run != null)
                {
                    chunks.Add(new AssembledChunk(group.Key, runStart, new EquatableArray<byte>(run), permissions));
                }

                run = new List<byte>(contents[p]);
                runStart = p.Address;
            }

            if (run != null)
            {
                chunks.Add(new AssembledChunk(group.Key, runStart, new EquatableArray<byte>(run), permissions));
            }
        }

        return chunks.OrderBy(c => c.Address).ToList();
    }

    private static List<AssembledSymbol> VisibleSymbols(IReadOnlyList<DeclarationObject> objects, Dictionary<(int, int), Placed> where, IReadOnlyList<ParsedDeclaration> parsed)
    {
        var result = new List<AssembledSymbol>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var o in objects)
        {
            foreach (var s in o.Symbols)
            {
                if (!s.Visible || s.Fragment < 0 || !seen.Add(s.Name))
                {
                    continue;
                }

                var p = where[(o.Declaration, s.Fragment)];
                bool declaration = o.Declaration >= 0 && o.Declaration < parsed.Count && s.Offset == 0 && parsed[o.Declaration].Source.Name == s.Name;
                result.Add(new AssembledSymbol(s.Name, p.Address + (ulong)s.Offset, (ulong)s.Size, s.Kind, p.Section) { IsDeclaration = declaration });
            }
        }

        return result.OrderBy(s => s.Address).ThenBy(s => s.Name, StringComparer.Ordinal).ToList();
    }
}
