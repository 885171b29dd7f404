using System;
using System.Collections.Generic;
using System.Linq;
using EntryModel.Generators.Diagnostics;
using EntryModel.Generators.Expansion;
using EntryModel.Generators.Model;
using EntryModel.Generators.Syntax;
using Iced.Intel;

namespace EntryModel.Generators.Encoding;

/// <summary>
/// Writes one declaration's laid-out fragments as bytes at their provisional addresses and collects
/// what the linker needs: labels with kallsyms-style sizes, fixups for every field that depends on
/// where fragments end up, and the line map.
/// </summary>
internal sealed class ObjectBuilder
{
    private readonly IReadOnlyList<ParsedDeclaration> parsed;
    private readonly int declaration;
    private readonly Expander expander;
    private readonly Layout layout;
    private readonly SectionMap sections;
    private readonly List<AsmDiagnostic> diagnostics;
    private readonly List<ObjectFixup> fixups = new List<ObjectFixup>();
    private readonly Dictionary<Fragment, int> index = new Dictionary<Fragment, int>();
    private List<ObjectLine> lines = new List<ObjectLine>();

    public ObjectBuilder(IReadOnlyList<ParsedDeclaration> parsed, int declaration, Expander expander, Layout layout, List<AsmDiagnostic> diagnostics)
    {
        this.parsed = parsed;
        this.declaration = declaration;
        this.expander = expander;
        this.layout = layout;
        sections = layout.Sections;
        this.diagnostics = diagnostics;
    }

    public DeclarationObject Build()
    {
        for (int i = 0; i < layout.Fragments.Count; i++)
        {
            index[layout.Fragments[i]] = i;
        }

        var fragments = new List<ObjectFragment>();
        foreach (var f in layout.Fragments)
        {
            lines = new List<ObjectLine>();
            var bytes = Write(f);
            fragments.Add(new ObjectFragment(f.Section, f.IsMain, f.FixedAddress.HasValue, f.Align, f.Address, new EquatableArray<byte>(bytes), new EquatableArray<ObjectLine>(lines), sections.Permissions(f.Section), IsMergeable(f.Section), SectionFlags(f.Section), TypeOf(f.Section).Type, TypeOf(f.Section).EntrySize));
        }

        var symbols = BuildSymbols();
        AddDebugFrame(fragments, symbols);
        if (expander.Machine == Public.ObjectFileMachine.I386)
        {
            Require32BitFields();
        }

        var built = new DeclarationObject(
            declaration,
            new EquatableArray<ObjectFragment>(fragments),
            new EquatableArray<ObjectSymbol>(symbols),
            new EquatableArray<ObjectFixup>(fixups),
            EquatableArray<AsmDiagnostic>.Empty) { Machine = expander.Machine };
        diagnostics.AddRange(RelocatableObject.AddendsThatDoNotFit(built));
        return built with { Diagnostics = new EquatableArray<AsmDiagnostic>(diagnostics) };
    }

    /// <summary>
    /// The declaration's <c>.cfi_*</c> frames as a <c>.debug_frame</c> fragment after the others (GNU
    /// as writes it at the end), its CIE pointers and initial locations fixed up against local
    /// labels of no name an ELF object keeps: the section's own start and each frame's.
    /// </summary>
    private void AddDebugFrame(List<ObjectFragment> fragments, List<ObjectSymbol> symbols)
    {
        var frames = expander.CallFrames.Frames.Where(x => x.End != null).ToList();
        if (frames.Count == 0 || !expander.CallFrames.ToDebugFrame)
        {
            return;
        }

        int addressSize = expander.AddressSize;
        var (bytes, fields) = DebugFrameWriter.Write(frames, addressSize);
        int at = fragments.Count;
        fragments.Add(new ObjectFragment(".debug_frame", false, false, addressSize, 0, new EquatableArray<byte>(bytes), EquatableArray<ObjectLine>.Empty, ElfType: "progbits"));
        string suffix = "\u0001d" + declaration.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string cie = ".Lframe\u0001section" + suffix;
        symbols.Add(new ObjectSymbol(cie, at, 0, 0, 4, false, declaration, 0, 0));
        for (int n = 0; n < frames.Count; n++)
        {
            var src = frames[n].Start.Source;
            symbols.Add(new ObjectSymbol($".Lframe\u0001{n}{suffix}", index[frames[n].Code], frames[n].Start.Offset, 0, 4, false, src.Declaration, src.Offset, src.SpanLength));
        }

        foreach (var field in fields)
        {
            string symbol = field.Frame < 0 ? cie : $".Lframe\u0001{field.Frame}{suffix}";
            int kind = field.Size == 8 ? RelocationKinds.Absolute64 : RelocationKinds.Absolute32;
            var src = field.Frame < 0 ? frames[0].Start.Source : frames[field.Frame].Start.Source;
            fixups.Add(new ObjectFixup(at, field.Offset, field.Size, kind, false, 0, symbol, field.Addend, src.Declaration, src.Offset, src.SpanLength));
        }
    }

    /// <summary>An i386 object has no 64-bit relocation: a 64-bit field naming a symbol is reported, as as --32 refuses it.</summary>
    private void Require32BitFields()
    {
        foreach (var x in fixups.Where(x => x.Kind == RelocationKinds.Absolute64))
        {
            diagnostics.Add(new AsmDiagnostic(DiagnosticIds.AssemblerError, $"a 64-bit field naming '{ExpressionEvaluator.Display(x.Symbol)}' cannot be relocated in a 32-bit object (as --32 has no 64-bit relocation)", x.SourceDeclaration, x.SourceOffset, x.SourceLength));
        }
    }

    private bool IsCode(Fragment f) => (sections.Permissions(f.Section) & SectionMap.Executable) != 0;

    private byte[] Write(Fragment f)
    {
        long length = Math.Max(f.ContentLength, f.FixedSize);
        var bytes = new byte[length];
        byte pad = IsCode(f) ? (byte)0xCC : (byte)0;
        foreach (var item in f.Items)
        {
            if (item is OrgItem backwards && layout.OrgTarget(backwards, f) < item.Offset)
            {
                expander.ReportAt(item.Source, new SyntaxException(DiagnosticIds.LayoutError, $".org cannot move backwards (already at offset 0x{item.Offset:x})", -1, 0));
            }

            if (item is FillItem { CountExpression: { } count })
            {
                try
                {
                    // The layout took what it could of it; now it must be a known absolute size.
                    layout.Evaluator.EvaluateAbsolute(count, "the size");
                }
                catch (SyntaxException ex)
                {
                    expander.ReportAt(item.Source, ex);
                }
            }

            if (item.Size == 0 && item is not InstructionItem)
            {
                continue;
            }

            ulong address = f.Address + (ulong)item.Offset;
            try
            {
                switch (item)
                {
                    case InstructionItem ins:
                        WriteInstruction(ins, f, address, bytes);
                        break;
                    case DataItem data:
                        WriteData(data, f, bytes);
                        break;
                    case BytesItem b:
                        b.Bytes.CopyTo(bytes, item.Offset);
                        break;
                    case LebItem leb:
                        {
                            var encoded = layout.LebBytes(leb, strict: true);
                            if (encoded.Length != leb.Size && !layout.Settled)
                            {
                                // The layout reported why its sizes are not final.
                                break;
                            }

                            if (encoded.Length != leb.Size)
                            {
                                throw new SyntaxException(DiagnosticIds.LayoutError, $"a LEB128 value changed size in the final pass ({leb.Size} -> {encoded.Length}); please report", -1, 0);
                            }

                            encoded.CopyTo(bytes, item.Offset);
                            break;
                        }
                    case FillItem fill:
                        for (int r = 0; r < fill.Count; r++)
                        {
                            for (int k = 0; k < fill.Unit; k++)
                            {
                                bytes[item.Offset + (r * fill.Unit) + k] = k < 8 ? (byte)(fill.Value >> (8 * k)) : (byte)0;
                            }
                        }

                        break;
                    case AlignItem a:
                        // GNU as pads code with NOPs also when the fill given is the one-byte NOP.
                        if (a.Fill.HasValue && !(a.Fill.Value == 0x90 && IsCode(f)))
                        {
                            for (int k = 0; k < a.Size; k++)
                            {
                                bytes[item.Offset + k] = (byte)a.Fill.Value;
                            }
                        }
                        else if (IsCode(f))
                        {
                            NopPatterns.Fill(bytes, (int)item.Offset, a.Size, expander.Bitness);
                        }

                        break;
                    case OrgItem o:
                        for (int k = 0; k < o.Size; k++)
                        {
                            bytes[item.Offset + k] = (byte)o.Fill;
                        }

                        break;
                }
            }
            catch (SyntaxException ex)
            {
                expander.ReportAt(item.Source, ex);
            }

            if (item.Size > 0 && item is not AlignItem && item is not OrgItem)
            {
                lines.Add(new ObjectLine(item.Offset, item.Size, item.Source.Declaration, item.Source.Line, item.Source.Text, item.Source.MacroStack, item.Source.Offset, item.Source.SpanLength));
            }
        }

        if (f.FixedSize > 0 && f.ContentLength > f.FixedSize)
        {
            var over = f.Items.FirstOrDefault(i => i.Offset + i.Size > f.FixedSize && i.Size > 0);
            var src = over?.Source ?? f.Items.LastOrDefault()?.Source;
            string name = parsed[f.Declaration].Source.Name;
            var ex = new SyntaxException(DiagnosticIds.SizeOverflow, $"'{name}' is 0x{f.ContentLength:x} bytes, more than its declared size 0x{f.FixedSize:x}", -1, 0);
            if (src != null)
            {
                expander.ReportAt(src, ex);
            }
            else
            {
                diagnostics.Add(new AsmDiagnostic(ex.Id, ex.Message, f.Declaration, 0, 0));
            }
        }

        for (long k = f.ContentLength; k < length; k++)
        {
            bytes[k] = pad;
        }

        return bytes;
    }

    private void WriteInstruction(InstructionItem ins, Fragment f, ulong address, byte[] bytes)
    {
        if (ins.StableBytes != null)
        {
            ins.StableBytes.CopyTo(bytes, ins.Offset);
            return;
        }

        try
        {
            var encoded = layout.EncodeFinal(ins, address);
            encoded.Bytes.CopyTo(bytes, ins.Offset);
            AddFixups(ins, f, encoded);
        }
        catch (SyntaxException)
        {
            for (int k = 0; k < ins.Size; k++)
            {
                bytes[ins.Offset + k] = 0xCC;
            }

            throw;
        }
    }

    /// <summary>A fixup for every operand whose value moves with placement (PC-relative ones within one fragment do not).</summary>
    private void AddFixups(InstructionItem ins, Fragment f, Layout.FinalEncoding encoded)
    {
        if (ins.Factory != null)
        {
            return;
        }

        var offsets = encoded.Offsets;
        var values = encoded.Values;
        int length = encoded.Bytes.Length;
        var info = ins.Code.ToOpCode();
        long end = ins.Offset + length;
        for (int i = 0; i < ins.Operands.Count; i++)
        {
            if (values[i] is not Value v || !v.Relocatable)
            {
                continue;
            }

            var op = ins.Operands[i];
            var kind = info.GetOpKind(i);
            bool branch = InstructionSelector.IsBranchTarget(kind);
            bool pcRelative = branch || op.IsRipRelative;
            bool jump = branch && info.Mnemonic != Mnemonic.Call;
            if (pcRelative && layout.IsLocalTo(v.Symbol, f) && (jump || !expander.Globals.Contains(v.Symbol!)))
            {
                continue;
            }

            RequireLinear(v, ins.Source, op.Offset, op.Length);
            long addend = v.Number - layout.ProvisionalValue(v.Symbol);
            if (branch)
            {
                int size = InstructionSelector.IsRel8(kind) ? 1 : 4;
                Add(f, end - size, size, size == 1 ? RelocationKinds.Relative8 : RelocationKinds.Relative32, true, end, v.Symbol!, addend, ins.Source, op, branch: true);
            }
            else if (op.Kind == OperandKind.Memory && offsets.HasDisplacement)
            {
                int kindCode = op.IsRipRelative ? RelocationKinds.Relative32 : offsets.DisplacementSize == 8 ? RelocationKinds.Absolute64 : RelocationKinds.Absolute32Signed;
                Add(f, ins.Offset + offsets.DisplacementOffset, (int)offsets.DisplacementSize, kindCode, op.IsRipRelative, end, v.Symbol!, addend, ins.Source, op);
            }
            else if (op.Kind == OperandKind.Immediate && offsets.HasImmediate)
            {
                int rk = offsets.ImmediateSize switch
                {
                    1 => RelocationKinds.Absolute8,
                    2 => RelocationKinds.Absolute16,
                    8 => RelocationKinds.Absolute64,
                    _ => kind == OpCodeOperandKind.imm32sex64 ? RelocationKinds.Absolute32Signed : RelocationKinds.Absolute32,
                };
                Add(f, ins.Offset + offsets.ImmediateOffset, (int)offsets.ImmediateSize, rk, false, end, v.Symbol!, addend, ins.Source, op);
            }
        }
    }

    private void Add(Fragment f, long offset, int size, int kind, bool pcRelative, long pcEnd, string symbol, long addend, SourceRef source, Operand? op, bool branch = false)
    {
        var (at0, length0) = op?.Value != null && SpanOf(op.Value, symbol) is { } span ? span : (op?.Offset ?? -1, op?.Length ?? 0);
        var (decl, at, length) = Locate(source, at0, length0);
        fixups.Add(new ObjectFixup(index[f], offset, size, kind, pcRelative, pcEnd, symbol, addend, decl, at, length, branch));
    }

    /// <summary>Where in <paramref name="e"/> the symbol a fixup names is written (the place to point at when it is undefined).</summary>
    internal static (int Offset, int Length)? SpanOf(Expression e, string symbol) => e switch
    {
        SymbolExpression s when s.Name == symbol => (s.Offset, s.Length),
        UnaryExpression u => SpanOf(u.Operand, symbol),
        BinaryExpression b => SpanOf(b.Left, symbol) ?? SpanOf(b.Right, symbol),
        _ => null,
    };

    private static void RequireLinear(Value v, SourceRef source, int offset, int length)
    {
        if (!v.Linear || v.Symbol == null)
        {
            throw new SyntaxException(DiagnosticIds.UndefinedSymbol, "this expression combines addresses in a way that is only known after linking (use symbol + constant, or labels of one declaration and section)", source.Exact ? offset : -1, length);
        }
    }

    /// <summary>Where a problem with part of a statement is reported: the part itself when the text is exact, else the statement.</summary>
    private static (int Declaration, int Offset, int Length) Locate(SourceRef source, int offset, int length) =>
        source.Exact && offset >= 0 ? (source.Declaration, source.Offset + offset, length) : (source.Declaration, source.Offset, source.SpanLength);

    private void WriteData(DataItem data, Fragment f, byte[] bytes)
    {
        for (int i = 0; i < data.Values.Count; i++)
        {
            var e = data.Values[i];
            var v = layout.Evaluator.Evaluate(e);
            long n = v.Number;
            long at = data.Offset + (i * data.Unit);
            if (v.Relocatable && !v.Linear && data.Unit == 4 && TrySelfRelative(e, f) is { } pc)
            {
                // sym - . (a label of another section minus a place in this one): R_X86_64_PC32, as as emits it.
                var (spanAt, spanLength) = SpanOf(e, pc.Symbol) ?? (e.Offset, e.Length);
                var (decl, off, len) = Locate(data.Source, spanAt, spanLength);
                fixups.Add(new ObjectFixup(index[f], at, 4, RelocationKinds.Relative32, true, pc.PlaceOffset, pc.Symbol, pc.Addend, decl, off, len));
                n = 0;
            }
            else if (v.Relocatable)
            {
                RequireLinear(v, data.Source, e.Offset, e.Length);
                int kind = data.Unit switch { 1 => RelocationKinds.Absolute8, 2 => RelocationKinds.Absolute16, 4 => RelocationKinds.Absolute32, _ => RelocationKinds.Absolute64 };
                var (spanAt, spanLength) = SpanOf(e, v.Symbol!) ?? (e.Offset, e.Length);
                var (decl, off, len) = Locate(data.Source, spanAt, spanLength);
                fixups.Add(new ObjectFixup(index[f], at, data.Unit, kind, false, 0, v.Symbol!, n - layout.ProvisionalValue(v.Symbol), decl, off, len));
            }
            else if (data.Unit < 8)
            {
                long min = -(1L << ((8 * data.Unit) - 1));
                long max = (1L << (8 * data.Unit)) - 1;
                if (n < min || n > max)
                {
                    throw new SyntaxException(DiagnosticIds.ValueOutOfRange, $"value 0x{n:x} does not fit in {data.Unit} byte(s)", e.Offset, e.Length);
                }
            }

            for (int k = 0; k < data.Unit; k++)
            {
                bytes[at + k] = (byte)(n >> (8 * k));
            }
        }
    }

    /// <summary>
    /// <c>target - place</c> where place is a label of fragment <paramref name="f"/> and target a
    /// symbol + constant anywhere else: the symbol, its addend, and place's offset in the fragment.
    /// </summary>
    private (string Symbol, long Addend, long PlaceOffset)? TrySelfRelative(Expression e, Fragment f)
    {
        if (e is not BinaryExpression { Operator: "-" } b)
        {
            return null;
        }

        var target = layout.Evaluator.Evaluate(b.Left);
        var place = layout.Evaluator.Evaluate(b.Right);
        if (!target.Relocatable || !target.Linear || target.Symbol is null || layout.IsLocalTo(target.Symbol, f)
            || !place.Relocatable || !place.Linear || !layout.IsLocalTo(place.Symbol, f))
        {
            return null;
        }

        long placeAddress = place.Number;
        return (target.Symbol, target.Number - layout.ProvisionalValue(target.Symbol), placeAddress - (long)f.Address);
    }

    /// <summary>Whether the section's flags make it mergeable ("M": the linker may merge equal entries).</summary>
    private bool IsMergeable(string section) => expander.SectionFlags.TryGetValue(section, out var flags) && flags.IndexOf('M') >= 0;

    /// <summary>The section's flags as the text gave them, or null when no <c>.section</c> gave any.</summary>
    private (string? Type, long EntrySize) TypeOf(string section) => expander.SectionTypes.TryGetValue(section, out var type) ? type : (null, 0);

    private string? SectionFlags(string section) => expander.SectionFlags.TryGetValue(section, out var flags) ? flags : null;

    /// <summary>The label an alias names and how far past it, when it is a label of this object plus a constant.</summary>
    private (AsmSymbol Symbol, long Addend)? AliasTarget(AsmSymbol alias)
    {
        // Evaluated as the label it names, not as the alias itself.
        var saved = layout.Evaluator.Preemptible;
        layout.Evaluator.Preemptible = null;
        try
        {
            var v = layout.Evaluator.Evaluate(alias.Expression!);
            if (v.Relocatable && v.Linear && v.Known && v.Symbol != null && expander.Symbols.TryGetValue(v.Symbol, out var label) && label.Kind == AsmSymbolKind.Label && label.Fragment != null)
            {
                return (label, v.Number - layout.ProvisionalValue(v.Symbol));
            }
        }
        catch (SyntaxException)
        {
        }
        finally
        {
            layout.Evaluator.Preemptible = saved;
        }

        return null;
    }

    private SymbolBinding BindingOf(string name) =>
        expander.Weak.Contains(name) ? SymbolBinding.Weak : expander.Globals.Contains(name) ? SymbolBinding.Global : SymbolBinding.Local;

    private bool IsMacros(int d) => d >= 0 && d < parsed.Count && parsed[d].Source.Kind == DeclarationKind.Macros;

    private List<ObjectSymbol> BuildSymbols()
    {
        var result = new List<ObjectSymbol>();
        foreach (var group in expander.Symbols.Values.Where(s => s.Kind == AsmSymbolKind.Label && s.Fragment != null).GroupBy(s => s.Fragment!))
        {
            var f = group.Key;
            var ordered = group.OrderBy(s => s.Label!.Offset).ToList();
            var visible = ordered.Where(s => s.Visible).ToList();
            var mainName = f.IsMain ? parsed[f.Declaration].Source.Name : null;
            foreach (var s in ordered)
            {
                long start = s.Label!.Offset;

                // kallsyms: a symbol extends to the next visible symbol of its fragment, or the fragment's end.
                long end = f.Extent;
                foreach (var next in visible)
                {
                    if (next.Label!.Offset > start)
                    {
                        end = next.Label.Offset;
                        break;
                    }
                }

                long size = end - start;
                if (s.SizeExpression != null)
                {
                    try
                    {
                        size = layout.Evaluator.EvaluateAbsolute(s.SizeExpression, ".size");
                    }
                    catch (SyntaxException ex)
                    {
                        expander.ReportAt(s.SizeSource!, ex);
                    }
                }

                int kind = s.TypeKind >= 0 ? s.TypeKind : s.Name == mainName ? parsed[f.Declaration].Source.SymbolKind : 4;
                var (decl, at, length) = s.Source == null ? (declaration, 0, 0) : Locate(s.Source, s.NameOffset, ExpressionEvaluator.Display(s.Name).Length);
                long? elfSize = s.SizeExpression != null ? Math.Max(0, size) : null;
                result.Add(new ObjectSymbol(s.Name, index[f], start, Math.Max(0, size), kind, s.Visible, decl, at, length, BindingOf(s.Name), s.TypeKind, elfSize));
            }
        }

        // Global and weak aliases (.weak memcpy; .set memcpy, __memcpy): a symbol of their own where
        // the label is, with its type and size, as GNU as copies them to an equated symbol.
        foreach (var s in expander.Symbols.Where(p => p.Key == p.Value.Name && p.Value.Kind == AsmSymbolKind.Expression && expander.Globals.Contains(p.Key)).Select(p => p.Value))
        {
            if (AliasTarget(s) is not { } target || !index.TryGetValue(target.Symbol.Fragment!, out int fragment))
            {
                continue;
            }

            var t = target.Symbol;
            long? size = t.SizeExpression != null ? result.FirstOrDefault(r => r.Name == t.Name)?.ElfSize : null;
            var (decl, at, length) = Locate(s.Source!, -1, 0);
            result.Add(new ObjectSymbol(s.Name, fragment, t.Label!.Offset + target.Addend, 0, t.TypeKind, false, decl, at, length, BindingOf(s.Name), t.TypeKind, size));
        }

        // Constants this declaration sets, for other declarations' fixups; the macros' object carries
        // the shared header's constants, which become the image's named constants.
        foreach (var s in expander.Symbols.Values.Where(s => s.Kind == AsmSymbolKind.Absolute && s.Source != null && (s.Source.Declaration == declaration || (declaration == GasAssembler.MacrosOnly && IsMacros(s.Source.Declaration)))))
        {
            result.Add(new ObjectSymbol(s.Name, -1, s.Value, 0, -1, false, s.Source!.Declaration, s.Source.Offset, s.Source.SpanLength, BindingOf(s.Name)));
        }

        return result.OrderBy(s => s.Fragment).ThenBy(s => s.Offset).ThenBy(s => s.Name, StringComparer.Ordinal).ToList();
    }
}

/// <summary>The runtime's RelocationKind values.</summary>
internal static class RelocationKinds
{
    public const int Absolute64 = 0;
    public const int Absolute32 = 1;
    public const int Absolute32Signed = 2;
    public const int Relative32 = 3;
    public const int Relative8 = 4;
    public const int Absolute16 = 5;
    public const int Absolute8 = 6;
}
