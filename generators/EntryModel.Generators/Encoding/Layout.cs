using System;
using System.Collections.Generic;
using EntryModel.Generators.Diagnostics;
using EntryModel.Generators.Expansion;
using EntryModel.Generators.Model;
using EntryModel.Generators.Syntax;
using Iced.Intel;

namespace EntryModel.Generators.Encoding;

/// <summary>
/// Places fragments at addresses and sizes every item, repeating until nothing changes: short
/// branches that cannot reach (or leave their declaration) become near, alignment and <c>.org</c>
/// follow. Branches only grow, but a <c>.uleb128</c> of a distance may shrink when an alignment
/// after it grows: GNU as's extra alignment settles that before a data alignment (<see cref="LebBounce"/>);
/// otherwise the layout fights itself as GNU as's does ("Infinite loop"), and a cap turns that into a
/// diagnostic at the value that does not settle.
/// </summary>
internal sealed class Layout
{
    private const int MaxPasses = 64;

    private readonly Expander expander;
    private readonly SectionMap sections;
    private readonly List<AsmDiagnostic> diagnostics;
    private readonly Encoder encoder;
    private readonly ByteWriter writer = new ByteWriter();
    private int currentPass;
    private readonly List<Item> resized = new List<Item>();
    private readonly Dictionary<Fragment, LebBounce> bounces = new Dictionary<Fragment, LebBounce>();
    private readonly ExpressionEvaluator placed;

    public Layout(Expander expander, SectionMap sections, List<AsmDiagnostic> diagnostics)
    {
        this.expander = expander;
        Evaluator = expander.Evaluator;
        placed = new ExpressionEvaluator(expander.Symbols, labelsPlaced: true) { Preemptible = expander.Globals };
        this.sections = sections;
        this.diagnostics = diagnostics;
        encoder = Encoder.Create(expander.Bitness, writer);
    }

    public IReadOnlyList<Fragment> Fragments => expander.Fragments;

    public SectionMap Sections => sections;

    /// <summary>
    /// Evaluates with labels at their current places: the layout's own evaluator over the expander's
    /// symbols (the expander's never knows where a label is). Until the first placement, labels are unknown.
    /// </summary>
    public ExpressionEvaluator Evaluator { get; private set; }

    /// <summary>Whether the last <see cref="Run"/> settled (false: it reported why not, and sizes are the last pass's).</summary>
    public bool Settled { get; private set; }

    public void Run()
    {
        Evaluator = expander.Evaluator;
        foreach (var f in Fragments)
        {
            // A fragment that aligns inside itself must start at least that aligned, wherever it is linked.
            foreach (var item in f.Items)
            {
                if (item is AlignItem a && a.Alignment > f.Align)
                {
                    f.Align = a.Alignment;
                }
            }

            int region = 0;
            foreach (var item in f.Items)
            {
                item.Region = region;
                if (item is AlignItem or OrgItem)
                {
                    region++;
                }

                if (item is InstructionItem ins)
                {
                    // Relaxable branches start short (2 bytes), as GNU as starts them.
                    if (ins.NearCode != Code.INVALID)
                    {
                        ins.Size = 2;
                        continue;
                    }

                    int? size = TryEncode(ins, 0x1000, out var values, strict: false);
                    ins.Size = size ?? 5;
                    if (size.HasValue && IsStable(ins, values))
                    {
                        ins.StableBytes = writer.ToArray();
                    }
                }
            }
        }

        for (int pass = 0; ; pass++)
        {
            Place();
            Evaluator = placed;
            // The first pass only gives every label an offset; relaxing before that would judge
            // forward branches by targets that have not been placed yet.
            bool changed = pass == 0;
            currentPass = pass;
            resized.Clear();
            foreach (var f in Fragments)
            {
                changed |= SizeItems(f, relax: pass > 0);
            }

            if (!changed)
            {
                Place();
                Settled = true;
                return;
            }

            if (pass >= MaxPasses)
            {
                Settled = false;
                var leb = resized.Find(i => i is LebItem);
                if (leb != null)
                {
                    var values = (LebItem)leb;
                    expander.ReportAt(leb.Source, new SyntaxException(DiagnosticIds.LayoutError, $"the layout did not settle after {MaxPasses} passes: this value's size changes the distance it encodes, back and forth (GNU as: \"Infinite loop encountered whilst attempting to compute the addresses of symbols\")", values.ValuesOffset, values.ValuesLength));
                    return;
                }

                diagnostics.Add(new AsmDiagnostic(DiagnosticIds.LayoutError, $"the layout did not settle after {MaxPasses} passes (alignment or .org fighting branch relaxation)", Fragments.Count > 0 ? Fragments[0].Declaration : -1, 0, 0));
                return;
            }
        }
    }

    /// <summary>Assigns provisional fragment addresses (see <see cref="Placement"/>).</summary>
    private void Place() => Placement.Place(Fragments, sections);

    /// <summary>Sets every item's offset and size for the current addresses; true when any size changed.</summary>
    private bool SizeItems(Fragment f, bool relax)
    {
        bool changed = false;
        long offset = 0;
        LebBounce? bounce = null;
        if (relax)
        {
            if (!bounces.TryGetValue(f, out bounce))
            {
                bounces[f] = bounce = new LebBounce();
            }

            bounce.StartPass();
        }

        foreach (var item in f.Items)
        {
            // How far this pass has moved the item so far (GNU as's stretch).
            long stretch = offset - item.Offset;
            item.Offset = offset;
            int size = item.Size;
            switch (item)
            {
                case LabelItem label:
                    label.Pass = currentPass;
                    break;
                case InstructionItem ins:
                    {
                        ulong ip = f.Address + (ulong)offset;
                        if (relax && ins.NearCode != Code.INVALID && MustBeNear(ins, f, ip, stretch))
                        {
                            ins.Code = ins.NearCode;
                            ins.NearCode = Code.INVALID;
                        }

                        size = ins.StableBytes?.Length ?? TryEncode(ins, ip, out _, strict: false) ?? ins.Size;
                        break;
                    }

                case AlignItem a:
                    {
                        ulong addr = f.Address + (ulong)offset;
                        int pad = (int)((ulong)(a.Alignment - (int)(addr % (ulong)a.Alignment)) % (ulong)a.Alignment);
                        size = (a.MaxSkip > 0 && pad > a.MaxSkip ? 0 : pad) + a.Extra;
                        if (bounce != null && bounce.AddsPadding(size - a.Size))
                        {
                            a.Extra = a.Alignment;
                            size += a.Extra;
                        }

                        break;
                    }

                case LebItem leb:
                    size = LebBytes(leb, strict: false).Length;
                    break;
                case FillItem fill when fill.CountExpression != null:
                    {
                        fill.Count = VariableCount(fill);
                        size = fill.Count * fill.Unit;
                        break;
                    }

                case OrgItem o:
                    {
                        long target = OrgTarget(o, f);
                        long gap = target >= offset ? target - offset : 0;
                        size = (int)AffordableGap(o, gap);
                        break;
                    }
            }

            bounce?.Grew(item, size - item.Size, item is AlignItem al && !PadsWithNops(al, f));
            if (size != item.Size)
            {
                item.Size = size;
                changed = true;
                resized.Add(item);
            }

            offset += item.Size;
        }

        bounce?.EndPass();

        if (offset != f.ContentLength)
        {
            f.ContentLength = offset;
            changed = true;
        }

        return changed;
    }

    /// <summary>Whether an alignment pads with NOPs (GNU as's rs_align_code): in code, with no fill or the one-byte NOP.</summary>
    private bool PadsWithNops(AlignItem a, Fragment f) =>
        (sections.Permissions(f.Section) & SectionMap.Executable) != 0 && (!a.Fill.HasValue || a.Fill.Value == 0x90);

    /// <summary>
    /// A <c>.uleb128</c>/<c>.sleb128</c>'s bytes at the current places: a value not known yet counts
    /// as one byte until it is (<paramref name="strict"/>: it must be known now, else the reason is thrown).
    /// </summary>
    internal byte[] LebBytes(LebItem leb, bool strict)
    {
        var bytes = new List<byte>();
        foreach (var e in leb.Values)
        {
            long n = 0;
            bool extraBit = false;
            try
            {
                n = LebValue(e, out extraBit);
            }
            catch (SyntaxException) when (!strict)
            {
            }

            if (leb.Signed)
            {
                Leb128.WriteSigned(bytes, n, extraBit);
            }
            else
            {
                Leb128.Write(bytes, n, signed: false);
            }
        }

        return bytes.ToArray();
    }

    /// <summary>
    /// A LEB128 operand as GNU as takes it, with no relocation: a constant (and its 65th bit); a label
    /// (plus a constant) is its offset in its section, the same in every pass; a symbol this object does
    /// not define, or a value that moves with placement otherwise, is an error.
    /// </summary>
    private long LebValue(Expression e, out bool extraBit)
    {
        extraBit = false;
        var v = Evaluator.Evaluate(e);
        if (!v.Known)
        {
            throw new SyntaxException(DiagnosticIds.SyntaxError, "the value must be an absolute expression known here", e.Offset, e.Length);
        }

        if (!v.Relocatable)
        {
            extraBit = ConstantExtraBit.Of(e, Evaluator);
            return v.Number;
        }

        if (v.Linear && v.Symbol != null)
        {
            if (!expander.Symbols.TryGetValue(v.Symbol, out var s))
            {
                var (at, length) = ObjectBuilder.SpanOf(e, v.Symbol) ?? (e.Offset, e.Length);
                throw new SyntaxException(DiagnosticIds.UndefinedSymbol, $"leb128 operand is an undefined symbol: {ExpressionEvaluator.Display(v.Symbol)} (a LEB128 value has no relocation)", at, length);
            }

            if (s.Kind == AsmSymbolKind.Label && s.Fragment != null)
            {
                return unchecked(v.Number - (long)s.Fragment.Address);
            }
        }

        throw new SyntaxException(DiagnosticIds.SyntaxError, "invalid operands: a LEB128 value is a constant, a label (its offset in its section) or a difference of labels of one section", e.Offset, e.Length);
    }

    /// <summary>
    /// The gap an <c>.org</c> may fill: all of it within the byte budget (GNU as honours any
    /// target), none past it, reported instead of allocated.
    /// </summary>
    private long AffordableGap(OrgItem o, long gap)
    {
        var budget = expander.Budget;
        if (gap <= budget.Limits.MaxEmittedBytes)
        {
            return gap;
        }

        budget.Overspend();
        if (!budget.Reported)
        {
            budget.Reported = true;
            expander.ReportAt(o.Source, budget.BytesSpent());
        }

        return 0;
    }

    /// <summary>Whether an encoding holds nothing that depends on addresses: see <see cref="InstructionItem.StableBytes"/>.</summary>
    private static bool IsStable(InstructionItem ins, Value?[] values)
    {
        if (ins.Factory != null)
        {
            return true;
        }

        var kinds = ins.Code.ToOpCode();
        for (int i = 0; i < ins.Operands.Count; i++)
        {
            var k = kinds.GetOpKind(i);
            if (InstructionSelector.IsBranchTarget(k) || ins.Operands[i].IsRipRelative)
            {
                return false;
            }

            if (ins.Operands[i].Value != null && ins.Operands[i].Kind != OperandKind.Register && !(values[i] is Value v && v.IsAbsoluteConstant))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether <paramref name="symbol"/> is a label of fragment <paramref name="f"/>.</summary>
    internal bool IsLocalTo(string? symbol, Fragment f) =>
        symbol != null && expander.Symbols.TryGetValue(symbol, out var s) && s.Kind == AsmSymbolKind.Label && ReferenceEquals(s.Fragment, f);

    /// <summary>The provisional address of a label of this declaration; 0 for a symbol defined elsewhere.</summary>
    internal long ProvisionalValue(string? symbol)
    {
        if (symbol == null || !expander.Symbols.TryGetValue(symbol, out var s))
        {
            return 0;
        }

        if (s.Kind == AsmSymbolKind.Label)
        {
            return s.Fragment != null && s.Label != null ? unchecked((long)s.Fragment.Address + s.Label.Offset) : 0;
        }

        // A global alias (.set name, label): where the label it names is.
        return s.Kind == AsmSymbolKind.Expression && s.Expression != null && Evaluator.Evaluate(s.Expression) is { Relocatable: true, Linear: true, Known: true } v ? v.Number : 0;
    }

    /// <summary>
    /// A variable <c>.skip</c>/<c>.fill</c> count at the current addresses: GNU as ignores a negative
    /// one (0 here), and one that is not an absolute value yet counts 0 until it is.
    /// </summary>
    private int VariableCount(FillItem fill)
    {
        try
        {
            var v = Evaluator.Evaluate(fill.CountExpression!);
            return v.Known && !v.Relocatable && v.Number > 0 ? (int)Math.Min(v.Number, 16 << 20) : 0;
        }
        catch (SyntaxException)
        {
            return 0;
        }
    }

    internal long OrgTarget(OrgItem o, Fragment f)
    {
        try
        {
            var v = Evaluator.Evaluate(o.Target);
            return v.Relocatable ? v.Number - (long)f.Address : v.Number;
        }
        catch (SyntaxException)
        {
            return -1;
        }
    }

    /// <summary>
    /// Whether a short branch must become near, judged as GNU as's relax_frag judges it: a target
    /// this pass has not reached yet is taken where it was, moved by <paramref name="stretch"/> (the
    /// growth so far) when no alignment lies between (an alignment may absorb it); with an alignment
    /// between, a target that would seem to lie behind the branch waits for the next pass.
    /// </summary>
    private bool MustBeNear(InstructionItem ins, Fragment f, ulong ip, long stretch)
    {
        var target = ins.Operands[0].Value;
        if (target == null)
        {
            return true;
        }

        // Branches that leave the declaration are always near, as between separately assembled objects.
        var sym = TargetSymbol(target);
        if (sym == null || sym.Fragment != f)
        {
            return true;
        }

        try
        {
            var v = Evaluator.Evaluate(target);
            long at = v.Number;
            if (stretch != 0 && sym.Label != null && sym.Label.Pass != currentPass)
            {
                if (stretch < 0 || sym.Label.Region == ins.Region)
                {
                    at += stretch;
                }
                else if (at < (long)ip + 1)
                {
                    return false;
                }
            }

            long disp = at - (long)(ip + 2);
            return disp < -128 || disp > 127;
        }
        catch (SyntaxException)
        {
            return true;
        }
    }

    private AsmSymbol? TargetSymbol(Expression e)
    {
        switch (e)
        {
            case SymbolExpression s:
                return expander.Symbols.TryGetValue(s.Name, out var sym) && sym.Kind == AsmSymbolKind.Label ? sym : null;
            case BinaryExpression b when b.Operator == "+" || b.Operator == "-":
                return TargetSymbol(b.Left) ?? (b.Operator == "+" ? TargetSymbol(b.Right) : null);
            default:
                return null;
        }
    }

    /// <summary>Encodes at <paramref name="ip"/>; null when it cannot be encoded (strict: throws the reason).</summary>
    internal int? TryEncode(InstructionItem ins, ulong ip, out Value?[] values, bool strict)
    {
        // One buffer per instruction, reused by every pass.
        values = ins.Values ??= new Value?[ins.Operands.Count];
        Instruction instruction;
        if (ins.Factory != null)
        {
            instruction = ins.Factory();
        }
        else
        {
            for (int i = 0; i < ins.Operands.Count; i++)
            {
                var op = ins.Operands[i];
                if (op.Value == null || op.Kind == OperandKind.Register)
                {
                    continue;
                }

                try
                {
                    values[i] = Evaluator.Evaluate(op.Value);
                }
                catch (SyntaxException)
                {
                    if (strict)
                    {
                        throw;
                    }
                }

                if (values[i] is Value v && v.Known && !v.Relocatable && strict)
                {
                    CheckFits(ins.Code, i, v, op, expander.Bitness);
                }
            }

            instruction = InstructionSelector.Build(ins.Code, ins.Operands, ForEncoding(ins, values, ip), placeholder: ip + 0x100, expander.Bitness);
        }

        instruction.HasLockPrefix = ins.HasLock;
        if (ins.Factory == null)
        {
            instruction.HasRepPrefix = ins.HasRep;
            instruction.HasRepnePrefix = ins.HasRepne;
        }

        writer.Reset();
        if (!encoder.TryEncode(instruction, ip, out uint len, out string? error))
        {
            if (strict)
            {
                throw new SyntaxException(DiagnosticIds.ValueOutOfRange, $"cannot encode: {error}", -1, 0);
            }

            return null;
        }

        return (int)len;
    }

    /// <summary>
    /// The values to encode with: a field the linker fills gets a stand-in that keeps its size
    /// (a displacement too large for 8 bits; a branch or RIP-relative target in range).
    /// </summary>
    private Value?[] ForEncoding(InstructionItem ins, Value?[] values, ulong ip)
    {
        Value?[]? copy = null;
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] is not Value v || !v.Relocatable || !v.Known)
            {
                continue;
            }

            var op = ins.Operands[i];
            var kind = ins.Code.ToOpCode().GetOpKind(i);
            bool branch = InstructionSelector.IsBranchTarget(kind);
            long? standIn = null;
            if ((branch || op.IsRipRelative) && !IsLocalToFragmentOf(v.Symbol, ins))
            {
                standIn = unchecked((long)ip);
            }
            else if (op.Kind == OperandKind.Memory && !op.IsRipRelative && op.Base != Register.None)
            {
                standIn = 0x7ff00000;
            }

            if (standIn.HasValue)
            {
                copy ??= (Value?[])values.Clone();
                copy[i] = new Value(standIn.Value, true, true, v.Symbol);
            }
        }

        return copy ?? values;
    }

    private bool IsLocalToFragmentOf(string? symbol, InstructionItem ins) => ins.Owner != null && IsLocalTo(symbol, ins.Owner);

    /// <summary>
    /// The instruction's final encoding at <paramref name="ip"/> (after the layout settled), with
    /// where its displacement and immediate sit and the operand values, for the fixups; throws the
    /// reason when it cannot be encoded. The layout's encoder and its buffer stay the layout's own.
    /// </summary>
    internal FinalEncoding EncodeFinal(InstructionItem ins, ulong ip)
    {
        int? length = TryEncode(ins, ip, out var values, strict: true);
        if (length != ins.Size)
        {
            throw new SyntaxException(DiagnosticIds.LayoutError, $"instruction changed size in the final pass ({ins.Size} -> {length}); please report", -1, 0);
        }

        return new FinalEncoding(writer.ToArray(), encoder.GetConstantOffsets(), values);
    }

    private static void CheckFits(Code code, int operand, Value v, Operand op, int bitness)
    {
        var kind = code.ToOpCode().GetOpKind(operand);
        long n = v.Number;
        bool ok = kind switch
        {
            OpCodeOperandKind.imm8 => n >= -128 && n <= 255,
            OpCodeOperandKind.imm16 => n >= short.MinValue && n <= ushort.MaxValue,
            OpCodeOperandKind.imm32 => v.Relocatable ? n >= 0 && n <= uint.MaxValue : n >= int.MinValue && n <= uint.MaxValue,
            OpCodeOperandKind.imm32sex64 => n >= int.MinValue && n <= int.MaxValue,
            _ => true,
        };
        if (op.Kind == OperandKind.Memory && op.Base != Register.RIP && !InstructionSelector.IsBranchTarget(kind) && kind != OpCodeOperandKind.mem_offs)
        {
            // A 32-bit address wraps: 0xc0000000 is as good a displacement as -0x40000000.
            ok = n >= int.MinValue && n <= (bitness == 32 ? uint.MaxValue : int.MaxValue);
        }

        if (!ok)
        {
            throw new SyntaxException(DiagnosticIds.ValueOutOfRange, $"value 0x{n:x} does not fit the operand ({kind})", op.Offset, op.Length);
        }
    }

    /// <summary>An instruction as the object gets it: its bytes, where its fields are, its operands' values.</summary>
    internal readonly struct FinalEncoding
    {
        public FinalEncoding(byte[] bytes, ConstantOffsets offsets, Value?[] values)
        {
            Bytes = bytes;
            Offsets = offsets;
            Values = values;
        }

        public byte[] Bytes { get; }

        public ConstantOffsets Offsets { get; }

        public Value?[] Values { get; }
    }

    internal sealed class ByteWriter : CodeWriter
    {
        private readonly List<byte> bytes = new List<byte>(16);

        public void Reset() => bytes.Clear();

        public byte[] ToArray() => bytes.ToArray();

        public override void WriteByte(byte value) => bytes.Add(value);
    }
}
