using System;
using System.Collections.Generic;
using System.Linq;
using EntryModel.Generators.Diagnostics;
using EntryModel.Generators.Model;
using EntryModel.Generators.Syntax;
using Iced.Intel;

namespace EntryModel.Generators.Encoding;

/// <summary>
/// Writes the laid-out fragments as bytes (final encoding at final addresses), and collects chunks,
/// symbols with kallsyms-style sizes, relocations, the line map and the IDT.
/// </summary>
internal sealed class ImageBuilder
{
    private readonly ModelSource model;
    private readonly IReadOnlyList<ParsedDeclaration> parsed;
    private readonly Expander expander;
    private readonly Layout layout;
    private readonly SectionMap sections;
    private readonly List<AsmDiagnostic> diagnostics;
    private readonly List<AssembledRelocation> relocations = new List<AssembledRelocation>();
    private readonly List<AssembledLine> lines = new List<AssembledLine>();

    public ImageBuilder(ModelSource model, IReadOnlyList<ParsedDeclaration> parsed, Expander expander, Layout layout, SectionMap sections, List<AsmDiagnostic> diagnostics)
    {
        this.model = model;
        this.parsed = parsed;
        this.expander = expander;
        this.layout = layout;
        this.sections = sections;
        this.diagnostics = diagnostics;
    }

    public AssemblyResult Build(StrategySource strategy)
    {
        var contents = new Dictionary<Fragment, byte[]>();
        foreach (var f in layout.Fragments)
        {
            contents[f] = Write(f);
        }

        CheckOverlaps();
        var chunks = BuildChunks(contents);
        var symbols = BuildSymbols();
        var gates = new List<AssembledGate>();
        string? syscall = null;
        var vectors = new HashSet<int>();
        var mains = layout.Fragments.Where(f => f.IsMain).ToDictionary(f => f.Declaration);
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

        // A handler named by an IDT entry must exist.
        for (int d = 0; d < parsed.Count; d++)
        {
            var s = parsed[d].Source;
            if (s.Kind == DeclarationKind.IdtEntry && !string.IsNullOrEmpty(s.Handler) && !expander.Symbols.ContainsKey(s.Handler!))
            {
                diagnostics.Add(new AsmDiagnostic(DiagnosticIds.UndefinedSymbol, $"IDT entry '{s.Name}' names handler '{s.Handler}', which no declaration defines", d, 0, 0));
            }
        }

        return new AssemblyResult(
            strategy.Name,
            strategy.Description,
            strategy.Defines,
            new EquatableArray<AssembledChunk>(chunks),
            new EquatableArray<AssembledSymbol>(symbols),
            new EquatableArray<AssembledRelocation>(relocations),
            new EquatableArray<AssembledLine>(lines),
            new EquatableArray<AssembledGate>(gates.OrderBy(g => g.Vector)),
            syscall,
            new EquatableArray<AsmDiagnostic>(diagnostics.Distinct()));
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
                        WriteData(data, address, bytes);
                        break;
                    case BytesItem b:
                        b.Bytes.CopyTo(bytes, item.Offset);
                        break;
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
                            NopPatterns.Fill(bytes, (int)item.Offset, a.Size);
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
                lines.Add(new AssembledLine(address, item.Size, item.Source.Declaration, item.Source.Line, item.Source.Text, item.Source.MacroStack));
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

        int? len;
        try
        {
            len = layout.TryEncode(ins, address, out var values, strict: true);
            if (len != ins.Size)
            {
                throw new SyntaxException(DiagnosticIds.LayoutError, $"instruction changed size in the final pass ({ins.Size} -> {len}); please report", -1, 0);
            }

            int length = layout.CopyLastBytes(bytes, ins.Offset);
            AddRelocations(ins, address, length, values);
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

    private void AddRelocations(InstructionItem ins, ulong address, int length, Value?[] values)
    {
        if (ins.Factory != null)
        {
            return;
        }

        var offsets = layout.LastOffsets;
        var info = ins.Code.ToOpCode();
        for (int i = 0; i < ins.Operands.Count; i++)
        {
            if (values[i] is not Value v || !v.Relocatable || v.Symbol == null || !expander.Symbols.TryGetValue(v.Symbol, out var sym) || sym.Kind != AsmSymbolKind.Label)
            {
                continue;
            }

            long symAddr = (long)(sym.Fragment!.Address + (ulong)sym.Label!.Offset);
            string name = ExpressionEvaluator.Display(sym.Name);
            var kind = info.GetOpKind(i);
            ulong end = address + (ulong)length;
            if (kind == OpCodeOperandKind.br64_1 || kind == OpCodeOperandKind.br64_4)
            {
                int size = kind == OpCodeOperandKind.br64_1 ? 1 : 4;
                ulong field = end - (ulong)size;
                relocations.Add(new AssembledRelocation(field, size == 1 ? RelocationKinds.Relative8 : RelocationKinds.Relative32, name, v.Number - symAddr - (long)(end - field)));
            }
            else if (ins.Operands[i].Kind == OperandKind.Memory && offsets.HasDisplacement)
            {
                ulong field = address + offsets.DisplacementOffset;
                if (ins.Operands[i].IsRipRelative)
                {
                    relocations.Add(new AssembledRelocation(field, RelocationKinds.Relative32, name, v.Number - symAddr - (long)(end - field)));
                }
                else
                {
                    relocations.Add(new AssembledRelocation(field, offsets.DisplacementSize == 8 ? RelocationKinds.Absolute64 : RelocationKinds.Absolute32Signed, name, v.Number - symAddr));
                }
            }
            else if (ins.Operands[i].Kind == OperandKind.Immediate && offsets.HasImmediate)
            {
                ulong field = address + offsets.ImmediateOffset;
                int rk = offsets.ImmediateSize switch
                {
                    1 => RelocationKinds.Absolute8,
                    2 => RelocationKinds.Absolute16,
                    8 => RelocationKinds.Absolute64,
                    _ => kind == OpCodeOperandKind.imm32sex64 ? RelocationKinds.Absolute32Signed : RelocationKinds.Absolute32,
                };
                relocations.Add(new AssembledRelocation(field, rk, name, v.Number - symAddr));
            }
        }
    }

    private void WriteData(DataItem data, ulong address, byte[] bytes)
    {
        for (int i = 0; i < data.Values.Count; i++)
        {
            var v = expander.Evaluator.Evaluate(data.Values[i]);
            long n = v.Number;
            if (data.Unit < 8)
            {
                long min = -(1L << ((8 * data.Unit) - 1));
                long max = (1L << (8 * data.Unit)) - 1;
                if (n < min || n > max)
                {
                    var e = data.Values[i];
                    throw new SyntaxException(DiagnosticIds.ValueOutOfRange, $"value 0x{n:x} does not fit in {data.Unit} byte(s)", e.Offset, e.Length);
                }
            }

            long at = data.Offset + (i * data.Unit);
            for (int k = 0; k < data.Unit; k++)
            {
                bytes[at + k] = (byte)(n >> (8 * k));
            }

            if (v.Relocatable && v.Symbol != null && expander.Symbols.TryGetValue(v.Symbol, out var sym) && sym.Kind == AsmSymbolKind.Label)
            {
                long symAddr = (long)(sym.Fragment!.Address + (ulong)sym.Label!.Offset);
                int kind = data.Unit switch { 1 => RelocationKinds.Absolute8, 2 => RelocationKinds.Absolute16, 4 => RelocationKinds.Absolute32, _ => RelocationKinds.Absolute64 };
                relocations.Add(new AssembledRelocation(address + (ulong)(i * data.Unit), kind, ExpressionEvaluator.Display(sym.Name), n - symAddr));
            }
        }
    }

    private void CheckOverlaps()
    {
        var placed = layout.Fragments.Where(f => f.Extent > 0).OrderBy(f => f.Address).ToList();
        for (int i = 1; i < placed.Count; i++)
        {
            var a = placed[i - 1];
            var b = placed[i];
            if (b.Address < a.Address + (ulong)a.Extent)
            {
                string an = parsed[a.Declaration].Source.Name, bn = parsed[b.Declaration].Source.Name;
                diagnostics.Add(new AsmDiagnostic(
                    DiagnosticIds.OverlappingAddresses,
                    $"'{bn}' at 0x{b.Address:x} overlaps '{an}' (0x{a.Address:x}..0x{a.Address + (ulong)a.Extent:x})",
                    b.Declaration,
                    0,
                    FirstLineLength(parsed[b.Declaration].Source.Text)));
            }
        }
    }

    private static int FirstLineLength(string text)
    {
        int nl = text.IndexOf('\n');
        return nl < 0 ? text.Length : nl;
    }

    private List<AssembledChunk> BuildChunks(Dictionary<Fragment, byte[]> contents)
    {
        var chunks = new List<AssembledChunk>();
        foreach (var group in layout.Fragments.Where(f => contents[f].Length > 0).GroupBy(f => f.Section))
        {
            List<byte>? run = null;
            ulong runStart = 0;
            foreach (var f in group.OrderBy(f => f.Address))
            {
                var bytes = contents[f];
                if (run != null && runStart + (ulong)run.Count == f.Address)
                {
                    run.AddRange(bytes);
                    continue;
                }

                if (run != null)
                {
                    chunks.Add(new AssembledChunk(group.Key, runStart, new EquatableArray<byte>(run), sections.Permissions(group.Key)));
                }

                run = new List<byte>(bytes);
                runStart = f.Address;
            }

            if (run != null)
            {
                chunks.Add(new AssembledChunk(group.Key, runStart, new EquatableArray<byte>(run), sections.Permissions(group.Key)));
            }
        }

        return chunks.OrderBy(c => c.Address).ToList();
    }

    private List<AssembledSymbol> BuildSymbols()
    {
        var result = new List<AssembledSymbol>();
        foreach (var group in expander.Symbols.Values.Where(s => s.Kind == AsmSymbolKind.Label && s.Visible && s.Fragment != null).GroupBy(s => s.Fragment!))
        {
            var f = group.Key;
            var ordered = group.OrderBy(s => s.Label!.Offset).ToList();
            var mainName = f.IsMain ? parsed[f.Declaration].Source.Name : null;
            for (int i = 0; i < ordered.Count; i++)
            {
                var s = ordered[i];
                long start = s.Label!.Offset;
                long end = f.Extent;
                for (int j = i + 1; j < ordered.Count; j++)
                {
                    if (ordered[j].Label!.Offset > start)
                    {
                        end = ordered[j].Label!.Offset;
                        break;
                    }
                }

                long size = end - start;
                if (s.SizeExpression != null)
                {
                    try
                    {
                        size = expander.Evaluator.EvaluateAbsolute(s.SizeExpression, ".size");
                    }
                    catch (SyntaxException ex)
                    {
                        expander.ReportAt(s.SizeSource!, ex);
                    }
                }

                int kind = s.TypeKind >= 0 ? s.TypeKind : s.Name == mainName ? parsed[f.Declaration].Source.SymbolKind : 4;
                result.Add(new AssembledSymbol(s.Name, f.Address + (ulong)start, (ulong)Math.Max(0, size), kind, f.Section));
            }
        }

        return result.OrderBy(s => s.Address).ThenBy(s => s.Name, StringComparer.Ordinal).ToList();
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
