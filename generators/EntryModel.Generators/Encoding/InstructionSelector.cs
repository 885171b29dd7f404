using System;
using System.Collections.Generic;
using System.Linq;
using EntryModel.Generators.Diagnostics;
using EntryModel.Generators.Syntax;
using Iced.Intel;

namespace EntryModel.Generators.Encoding;

/// <summary>
/// Chooses the Iced instruction form (<see cref="Code"/>) for an AT&amp;T instruction the way GNU as
/// does: operand kinds and sizes must match; the shortest encoding wins; ties go to the form whose
/// first operand is r/m (as's "store" form); <c>imm8</c> only for constants; relocatable values get
/// full-size fields; branches to labels of the same declaration start short and are relaxed later.
/// </summary>
internal static class InstructionSelector
{
    private static readonly Dictionary<Mnemonic, List<Code>> CodesByMnemonic = BuildCodes(bitness: 64);

    // as --32: the forms valid in 32-bit mode.
    private static readonly Dictionary<Mnemonic, List<Code>> CodesByMnemonic32 = BuildCodes(bitness: 32);
    private static readonly Form[] Forms = BuildForms();
    private static readonly HashSet<Mnemonic> StackWidthDefault = new HashSet<Mnemonic> { Mnemonic.Push, Mnemonic.Pop, Mnemonic.Call, Mnemonic.Jmp, Mnemonic.Ret };
    private static readonly HashSet<Mnemonic> Commutative = new HashSet<Mnemonic> { Mnemonic.Xchg, Mnemonic.Test };

    /// <summary>The chosen form; <see cref="NearCode"/> is set for a relaxable short branch.</summary>
    internal readonly struct Selection
    {
        public Selection(Code code, Code nearCode, List<Operand> operands)
        {
            Code = code;
            NearCode = nearCode;
            Operands = operands;
        }

        public Code Code { get; }

        public Code NearCode { get; }

        public List<Operand> Operands { get; }
    }

    /// <summary>Why no form fits: a diagnostic id and message.</summary>
    internal readonly struct SelectionError
    {
        public SelectionError(string id, string message)
        {
            Id = id;
            Message = message;
        }

        public string Id { get; }

        public string Message { get; }
    }

    /// <summary>Whether an operand kind is a relative branch target (rel8 or rel32).</summary>
    public static bool IsBranchTarget(OpCodeOperandKind kind) => IsShortBranch(kind) || IsNearBranch(kind);

    private static bool IsShortBranch(OpCodeOperandKind kind) => kind == OpCodeOperandKind.br64_1 || kind == OpCodeOperandKind.br32_1;

    private static bool IsNearBranch(OpCodeOperandKind kind) => kind == OpCodeOperandKind.br64_4 || kind == OpCodeOperandKind.br32_4;

    /// <summary>Whether a branch operand kind is the 1-byte (rel8) one.</summary>
    public static bool IsRel8(OpCodeOperandKind kind) => IsShortBranch(kind);

    /// <summary>Whether an Iced mnemonic has any legacy form in the mode (to tell "unknown mnemonic" from "bad operands").</summary>
    public static bool Knows(Mnemonic m, int bitness = 64) => (bitness == 32 ? CodesByMnemonic32 : CodesByMnemonic).ContainsKey(m);

    /// <summary>
    /// Selects a form for <paramref name="info"/> with AT&amp;T-ordered <paramref name="atntOperands"/>.
    /// <paramref name="evaluate"/> gives values as known before layout. A branch with a short and a
    /// near form comes back relaxable; the layout decides which it becomes.
    /// </summary>
    public static bool TrySelect(MnemonicInfo info, List<Operand> atntOperands, Func<Expression, Value> evaluate, out Selection selection, out SelectionError error, int bitness = 64)
    {
        selection = default;
        error = default;
        var ops = new List<Operand>(atntOperands);
        ops.Reverse();

        // AT&T 'imul $imm, %reg' is Intel 'imul reg, reg, imm'.
        if (info.Mnemonic == Mnemonic.Imul && ops.Count == 2 && ops[1].Kind == OperandKind.Immediate && ops[0].Kind == OperandKind.Register)
        {
            ops.Insert(1, ops[0]);
        }

        // A shift or rotate with one operand shifts by one.
        if (ops.Count == 1 && IsShift(info.Mnemonic))
        {
            ops.Add(new Operand { Kind = OperandKind.Immediate, Value = new NumberExpression(1, 0, 0), Offset = ops[0].Offset, Length = 0 });
        }

        if (bitness == 32 && Not32Bit(atntOperands) is { } wide)
        {
            error = new SelectionError(DiagnosticIds.BadOperand, $"'%{wide.ToString().ToLowerInvariant()}' is not available in 32-bit code (as --32)");
            return false;
        }

        // GNU as writes 'xchg %rax,%rax' as the one-byte NOP (REX.W changes nothing there).
        if (info.Mnemonic == Mnemonic.Xchg && ops.Count == 2 && ops[0].Kind == OperandKind.Register && ops[1].Kind == OperandKind.Register && ops[0].Register == Register.RAX && ops[1].Register == Register.RAX)
        {
            selection = new Selection(Code.Nopd, Code.INVALID, new List<Operand>());
            return true;
        }

        // ... and 'int $3' as the one-byte breakpoint.
        if (info.Mnemonic == Mnemonic.Int && ops.Count == 1 && ops[0].Kind == OperandKind.Immediate && evaluate(ops[0].Value!) is { IsAbsoluteConstant: true, Number: 3 })
        {
            selection = new Selection(Code.Int3, Code.INVALID, new List<Operand>());
            return true;
        }

        if (!(bitness == 32 ? CodesByMnemonic32 : CodesByMnemonic).TryGetValue(info.Mnemonic, out var codes))
        {
            error = new SelectionError(DiagnosticIds.UnknownMnemonic, $"'{info.Mnemonic.ToString().ToLowerInvariant()}' is not supported in {bitness}-bit mode");
            return false;
        }

        var values = new Value?[ops.Count];
        for (int i = 0; i < ops.Count; i++)
        {
            if (ops[i].Value != null && (ops[i].Kind == OperandKind.Immediate || ops[i].Kind == OperandKind.Memory))
            {
                values[i] = evaluate(ops[i].Value!);
            }
        }

        var matches = Match(info, codes, ops, values, bitness);
        if (matches.Count == 0 && ops.Count == 2 && Commutative.Contains(info.Mnemonic))
        {
            ops.Reverse();
            Array.Reverse(values);
            matches = Match(info, codes, ops, values, bitness);
        }
        else if (matches.Count > 0 && ops.Count == 2 && info.Mnemonic == Mnemonic.Xchg)
        {
            // In 64-bit mode 0x90 is a NOP, not 'xchg %eax,%eax' (which zero-extends): keep the ModRM form.
            bool bothEax = ops[0].Kind == OperandKind.Register && ops[0].Register == Register.EAX && ops[1].Kind == OperandKind.Register && ops[1].Register == Register.EAX;

            // xchg prefers the one-byte accumulator form whichever side the accumulator is on.
            var swapped = new List<Operand> { ops[1], ops[0] };
            var swappedValues = new[] { values[1], values[0] };
            var other = Match(info, codes, swapped, swappedValues, bitness);
            if (bothEax && bitness == 64)
            {
                matches.Remove(Code.Xchg_r32_EAX);
                other.Remove(Code.Xchg_r32_EAX);
            }

            if (other.Count > 0 && Shortest(other, swapped, swappedValues, bitness) < Shortest(matches, ops, values, bitness))
            {
                ops = swapped;
                values = swappedValues;
                matches = other;
            }
        }

        if (matches.Count == 0)
        {
            error = new SelectionError(DiagnosticIds.BadOperand, DescribeMismatch(info, ops));
            return false;
        }

        // Relaxable branch: a short and a near form, and a target in this declaration.
        Code shortForm = Code.INVALID, nearForm = Code.INVALID;
        foreach (var c in matches)
        {
            var k = c.ToOpCode().GetOpKind(0);
            if (IsShortBranch(k))
            {
                shortForm = c;
            }
            else if (IsNearBranch(k))
            {
                nearForm = c;
            }
        }

        if (nearForm != Code.INVALID)
        {
            if (shortForm != Code.INVALID && ops[0].Value != null)
            {
                selection = new Selection(shortForm, nearForm, ops);
            return true;
            }

            selection = new Selection(nearForm, Code.INVALID, ops);
            return true;
        }

        if (shortForm != Code.INVALID)
        {
            selection = new Selection(shortForm, Code.INVALID, ops);
            return true;
        }

        // Sizes must be settled: by a suffix, a register, or the mnemonic's default.
        var sizes = new HashSet<int>();
        foreach (var c in matches)
        {
            sizes.Add(DataSize(c));
        }

        // Without operands (nop, ret, iretq) the spelling fixes the form: take the shortest.
        if (sizes.Count > 1 && ops.Count > 0)
        {
            if (SameMemorySize(matches, ops))
            {
                // verw, str, sldt, ...: every form reads the same memory width, so a memory operand
                // settles it; the shortest form (no size prefix) is GNU as's.
            }
            else if (StackWidthDefault.Contains(info.Mnemonic) && sizes.Contains(bitness))
            {
                // push, pop, call, jmp, ret: the stack's width (64 bits, 32 under as --32).
                matches.RemoveAll(c => DataSize(c) != bitness);
            }
            else
            {
                error = new SelectionError(DiagnosticIds.BadOperand, $"operand size is ambiguous for '{info.Mnemonic.ToString().ToLowerInvariant()}': add a b/w/l/q suffix or use a register operand");
                return false;
            }
        }

        if (matches.Count == 1)
        {
            selection = new Selection(matches[0], Code.INVALID, ops);
            return true;
        }

        Code best = Code.INVALID;
        int bestLength = int.MaxValue;
        foreach (var c in matches)
        {
            int len = Length(c, ops, values, bitness);
            if (len < 0)
            {
                continue;
            }

            if (len < bestLength || (len == bestLength && PreferOnTie(c, best)))
            {
                best = c;
                bestLength = len;
            }
        }

        if (best == Code.INVALID)
        {
            error = new SelectionError(DiagnosticIds.BadOperand, DescribeMismatch(info, ops));
            return false;
        }

        selection = new Selection(best, Code.INVALID, ops);
            return true;
    }

    /// <summary>Builds the Iced instruction for a form with final operand values.</summary>
    public static Instruction Build(Code code, List<Operand> ops, Value?[] values, ulong placeholder, int bitness = 64)
    {
        if (ops.Count == 1 && ops[0].Kind == OperandKind.Register && SizeIgnoringForms.TryGetValue(code, out var wide))
        {
            // verw, verr, lldt, ltr, lmsw read 16 bits whatever the operand size: GNU as gives a
            // 16-bit register no 0x66 prefix, which is the 32-bit form with the full register.
            var ins32 = default(Instruction);
            ins32.Code = wide;
            ins32.SetOpKind(0, OpKind.Register);
            ins32.Op0Register = ops[0].Register.GetFullRegister32();
            return ins32;
        }

        if (code == Code.Arpl_rm16_r16)
        {
            // arpl compares 16-bit selectors whatever the operand size: GNU as writes no 0x66 for
            // its 16-bit registers, which is the 32-bit form with the full registers.
            var full = new List<Operand>(ops.Count);
            foreach (var op in ops)
            {
                var copy = op.WithValue(op.Value);
                if (op.Kind == OperandKind.Register)
                {
                    copy.Register = op.Register.GetFullRegister32();
                }

                full.Add(copy);
            }

            return Build(Code.Arpl_r32m16_r32, full, values, placeholder, bitness);
        }

        var info = code.ToOpCode();
        var ins = default(Instruction);
        ins.Code = code;
        for (int i = 0; i < ops.Count; i++)
        {
            var op = ops[i];
            var kind = info.GetOpKind(i);
            long v = values[i] is Value val && val.Known ? val.Number : unchecked((long)placeholder);
            switch (kind)
            {
                case OpCodeOperandKind.imm8:
                case OpCodeOperandKind.imm8_const_1:
                    if (i > 0 && info.GetOpKind(i - 1) == OpCodeOperandKind.imm16)
                    {
                        ins.SetOpKind(i, OpKind.Immediate8_2nd);
                        ins.Immediate8_2nd = unchecked((byte)v);
                    }
                    else
                    {
                        ins.SetOpKind(i, OpKind.Immediate8);
                        ins.Immediate8 = unchecked((byte)v);
                    }

                    break;
                case OpCodeOperandKind.imm8sex16:
                    ins.SetOpKind(i, OpKind.Immediate8to16);
                    ins.Immediate8to16 = unchecked((sbyte)v);
                    break;
                case OpCodeOperandKind.imm8sex32:
                    ins.SetOpKind(i, OpKind.Immediate8to32);
                    ins.Immediate8to32 = unchecked((sbyte)v);
                    break;
                case OpCodeOperandKind.imm8sex64:
                    ins.SetOpKind(i, OpKind.Immediate8to64);
                    ins.Immediate8to64 = unchecked((sbyte)v);
                    break;
                case OpCodeOperandKind.imm16:
                    ins.SetOpKind(i, OpKind.Immediate16);
                    ins.Immediate16 = unchecked((ushort)v);
                    break;
                case OpCodeOperandKind.imm32:
                    ins.SetOpKind(i, OpKind.Immediate32);
                    ins.Immediate32 = unchecked((uint)v);
                    break;
                case OpCodeOperandKind.imm32sex64:
                    ins.SetOpKind(i, OpKind.Immediate32to64);
                    ins.Immediate32to64 = unchecked((int)v);
                    break;
                case OpCodeOperandKind.imm64:
                    ins.SetOpKind(i, OpKind.Immediate64);
                    ins.Immediate64 = unchecked((ulong)v);
                    break;
                case OpCodeOperandKind.br64_1:
                case OpCodeOperandKind.br64_4:
                    ins.SetOpKind(i, OpKind.NearBranch64);
                    ins.NearBranch64 = unchecked((ulong)v);
                    break;
                case OpCodeOperandKind.br32_1:
                case OpCodeOperandKind.br32_4:
                    ins.SetOpKind(i, OpKind.NearBranch32);
                    ins.NearBranch32 = unchecked((uint)v);
                    break;
                case OpCodeOperandKind.mem_offs:
                    ins.SetOpKind(i, OpKind.Memory);
                    ins.MemoryDisplacement64 = bitness == 32 ? unchecked((uint)v) : unchecked((ulong)v);
                    ins.MemoryDisplSize = bitness / 8;
                    ins.SegmentPrefix = op.Segment;
                    break;
                default:
                    if (op.Kind == OperandKind.Memory)
                    {
                        ins.SetOpKind(i, OpKind.Memory);
                        ins.MemoryBase = op.Base;
                        ins.MemoryIndex = op.Index;
                        ins.MemoryIndexScale = op.Index == Register.None ? 1 : op.Scale;
                        ins.SegmentPrefix = op.Segment;
                        long disp = op.Value == null ? 0 : v;
                        ins.MemoryDisplacement64 = bitness == 32 ? unchecked((uint)disp) : unchecked((ulong)disp);
                        if (op.Base == Register.None || op.Base == Register.RIP)
                        {
                            ins.MemoryDisplSize = bitness / 8;
                        }
                        else
                        {
                            ins.MemoryDisplSize = disp == 0 ? 0 : 1;
                        }
                    }
                    else
                    {
                        ins.SetOpKind(i, OpKind.Register);
                        ins.SetOpRegister(i, op.Register);
                    }

                    break;
            }
        }

        return ins;
    }

    /// <summary>The form's data size: the first r/m, register or accumulator operand's size, else Iced's operand size.</summary>
    /// <summary>The 16-bit register forms GNU as encodes without a size prefix, and the form that does so.</summary>
    private static readonly Dictionary<Code, Code> SizeIgnoringForms = new Dictionary<Code, Code>
    {
        [Code.Verw_rm16] = Code.Verw_r32m16,
        [Code.Verr_rm16] = Code.Verr_r32m16,
        [Code.Lldt_rm16] = Code.Lldt_r32m16,
        [Code.Ltr_rm16] = Code.Ltr_r32m16,
        [Code.Lmsw_rm16] = Code.Lmsw_r32m16,
    };

    /// <summary>Whether a memory operand is given and every candidate reads memory of one width.</summary>
    private static bool SameMemorySize(List<Code> matches, List<Operand> ops)
    {
        if (!ops.Exists(o => o.Kind == OperandKind.Memory))
        {
            return false;
        }

        var first = matches[0].ToOpCode().MemorySize;
        return first != MemorySize.Unknown && matches.TrueForAll(c => c.ToOpCode().MemorySize == first);
    }

    public static int DataSize(Code code) => Forms[(int)code]?.DataSize ?? ComputeDataSize(code.ToOpCode());

    private static int ComputeDataSize(OpCodeInfo info)
    {
        for (int i = 0; i < info.OpCount; i++)
        {
            int s = KindSize(info.GetOpKind(i), countFixed: !(IsShift(info.Mnemonic) || info.Mnemonic == Mnemonic.In || info.Mnemonic == Mnemonic.Out));
            if (s != 0)
            {
                return s;
            }
        }

        // Zero-operand forms without an explicit size (sysret, iretd) are the 32-bit ones.
        return info.OperandSize == 0 && info.OpCount == 0 ? 32 : info.OperandSize;
    }

    private static bool IsShift(Mnemonic m) => m == Mnemonic.Shl || m == Mnemonic.Shr || m == Mnemonic.Sar || m == Mnemonic.Rol || m == Mnemonic.Ror || m == Mnemonic.Rcl || m == Mnemonic.Rcr || m == Mnemonic.Sal;

    private static int KindSize(OpCodeOperandKind k, bool countFixed = true)
    {
        switch (k)
        {
            case OpCodeOperandKind.r8_or_mem:
            case OpCodeOperandKind.r8_reg:
            case OpCodeOperandKind.r8_opcode:
            case OpCodeOperandKind.al:
                return 8;
            case OpCodeOperandKind.r16_or_mem:
            case OpCodeOperandKind.r16_reg:
            case OpCodeOperandKind.r16_opcode:
            case OpCodeOperandKind.ax:
                return 16;
            case OpCodeOperandKind.r32_or_mem:
            case OpCodeOperandKind.r32_reg:
            case OpCodeOperandKind.r32_opcode:
            case OpCodeOperandKind.r32_rm:
            case OpCodeOperandKind.eax:
                return 32;
            case OpCodeOperandKind.r64_or_mem:
            case OpCodeOperandKind.r64_reg:
            case OpCodeOperandKind.r64_opcode:
            case OpCodeOperandKind.r64_rm:
            case OpCodeOperandKind.rax:
                return 64;
            case OpCodeOperandKind.cl:
                return countFixed ? 8 : 0;
            case OpCodeOperandKind.dx:
                return countFixed ? 16 : 0;
            default:
                return 0;
        }
    }

    private static List<Code> Match(MnemonicInfo info, List<Code> codes, List<Operand> ops, Value?[] values, int bitness)
    {
        var result = new List<Code>();
        foreach (var code in codes)
        {
            var form = Forms[(int)code];
            var kinds = form.Kinds;
            if (kinds.Length != ops.Count)
            {
                continue;
            }

            if (info.Size != 0 && form.DataSize != info.Size && !(info.Movabs && kinds[0] == OpCodeOperandKind.mem_offs))
            {
                continue;
            }

            if (info.SourceSize != 0 && ops.Count == 2 && KindSize(kinds[1]) != info.SourceSize)
            {
                continue;
            }

            bool ok = true;
            bool hasOffs = false, hasImm64 = false;
            for (int i = 0; i < ops.Count && ok; i++)
            {
                var k = kinds[i];
                hasOffs |= k == OpCodeOperandKind.mem_offs;
                hasImm64 |= k == OpCodeOperandKind.imm64;
                ok = Fits(k, ops[i], values[i], info, form.Mnemonic);
            }

            if (!ok)
            {
                continue;
            }

            // The 64-bit address and 64-bit immediate forms are only for movabs (or a constant too big
            // for 32 bits); 32-bit code has no movabs, and as takes the short moffs32 forms for 'mov sym, %eax'.
            if (hasOffs && !info.Movabs && bitness == 64)
            {
                continue;
            }

            if (info.Movabs && !hasOffs && !hasImm64)
            {
                continue;
            }

            result.Add(code);
        }

        return result;
    }

    private static bool Fits(OpCodeOperandKind k, Operand op, Value? value, MnemonicInfo info, Mnemonic m)
    {
        bool isBranch = m == Mnemonic.Jmp || m == Mnemonic.Call;
        if (op.Indirect && !isBranch)
        {
            return false;
        }

        switch (k)
        {
            case OpCodeOperandKind.r8_or_mem:
            case OpCodeOperandKind.r16_or_mem:
            case OpCodeOperandKind.r32_or_mem:
            case OpCodeOperandKind.r64_or_mem:
                if (isBranch && !op.Indirect)
                {
                    return false;
                }

                return op.Kind == OperandKind.Memory || (op.Kind == OperandKind.Register && GprSize(op.Register) == KindSize(k));
            case OpCodeOperandKind.r8_reg:
            case OpCodeOperandKind.r8_opcode:
            case OpCodeOperandKind.r16_reg:
            case OpCodeOperandKind.r16_opcode:
            case OpCodeOperandKind.r32_reg:
            case OpCodeOperandKind.r32_opcode:
            case OpCodeOperandKind.r64_reg:
            case OpCodeOperandKind.r64_opcode:
            case OpCodeOperandKind.r32_rm:
            case OpCodeOperandKind.r64_rm:
                return op.Kind == OperandKind.Register && GprSize(op.Register) == KindSize(k);
            case OpCodeOperandKind.mem:
                return op.Kind == OperandKind.Memory && !(isBranch && !op.Indirect);
            case OpCodeOperandKind.mem_offs:
                return op.Kind == OperandKind.Memory && op.Base == Register.None && op.Index == Register.None;
            case OpCodeOperandKind.al: return op.Kind == OperandKind.Register && op.Register == Register.AL;
            case OpCodeOperandKind.ax: return op.Kind == OperandKind.Register && op.Register == Register.AX;
            case OpCodeOperandKind.eax: return op.Kind == OperandKind.Register && op.Register == Register.EAX;
            case OpCodeOperandKind.rax: return op.Kind == OperandKind.Register && op.Register == Register.RAX;
            case OpCodeOperandKind.cl: return op.Kind == OperandKind.Register && op.Register == Register.CL;
            case OpCodeOperandKind.dx: return op.Kind == OperandKind.Register && op.Register == Register.DX;
            case OpCodeOperandKind.seg_reg: return op.Kind == OperandKind.Register && op.Register >= Register.ES && op.Register <= Register.GS;
            case OpCodeOperandKind.cr_reg: return op.Kind == OperandKind.Register && op.Register >= Register.CR0 && op.Register <= Register.CR15;
            case OpCodeOperandKind.dr_reg: return op.Kind == OperandKind.Register && op.Register >= Register.DR0 && op.Register <= Register.DR15;
            case OpCodeOperandKind.br64_1:
            case OpCodeOperandKind.br64_4:
            case OpCodeOperandKind.br32_1:
            case OpCodeOperandKind.br32_4:
                return op.Kind == OperandKind.Memory && IsPlainTarget(op) && !op.Indirect;
            case OpCodeOperandKind.imm8_const_1:
                return op.Kind == OperandKind.Immediate && value is Value one && one.IsAbsoluteConstant && one.Number == 1;
            case OpCodeOperandKind.imm8:
                return op.Kind == OperandKind.Immediate && InRange(value, -128, 255, allowRelocatable: true);
            case OpCodeOperandKind.imm8sex16:
                return op.Kind == OperandKind.Immediate && FitsSignExtended(value, 16, 8);
            case OpCodeOperandKind.imm8sex32:
                return op.Kind == OperandKind.Immediate && FitsSignExtended(value, 32, 8);
            case OpCodeOperandKind.imm8sex64:
                return op.Kind == OperandKind.Immediate && FitsSignExtended(value, 64, 8);
            case OpCodeOperandKind.imm16:
                return op.Kind == OperandKind.Immediate && InRange(value, short.MinValue, ushort.MaxValue, allowRelocatable: true);
            case OpCodeOperandKind.imm32:
                return op.Kind == OperandKind.Immediate && InRange(value, int.MinValue, uint.MaxValue, allowRelocatable: true);
            case OpCodeOperandKind.imm32sex64:
                return op.Kind == OperandKind.Immediate && (info.Movabs ? false : InRange(value, int.MinValue, int.MaxValue, allowRelocatable: true));
            case OpCodeOperandKind.imm64:
                return op.Kind == OperandKind.Immediate;
            default:
                return false;
        }
    }

    /// <summary>A memory-syntax operand that is just an expression: a branch target.</summary>
    private static bool IsPlainTarget(Operand op) => op.Base == Register.None && op.Index == Register.None && op.Segment == Register.None && op.Value != null;

    private static bool InRange(Value? value, long min, long max, bool allowRelocatable)
    {
        if (value is not Value v)
        {
            return false;
        }

        if (!v.IsAbsoluteConstant)
        {
            return allowRelocatable;
        }

        // The ranges take both spellings of a field: -1 and 0xffffffff both fit 32 bits.
        return v.Number >= min && v.Number <= max;
    }

    /// <summary>A constant that, truncated to the operand size, is a sign-extended <paramref name="bits"/>-bit value.</summary>
    private static bool FitsSignExtended(Value? value, int operandBits, int bits)
    {
        if (value is not Value v || !v.IsAbsoluteConstant)
        {
            return false;
        }

        long n = v.Number;
        if (operandBits < 64)
        {
            long min = -(1L << (operandBits - 1));
            long umax = (1L << operandBits) - 1;
            if (n < min || n > umax)
            {
                return false;
            }

            n = (n << (64 - operandBits)) >> (64 - operandBits);
        }

        long lo = -(1L << (bits - 1)), hi = (1L << (bits - 1)) - 1;
        return n >= lo && n <= hi;
    }

    private static int GprSize(Register r)
    {
        if (r >= Register.AL && r <= Register.R15L)
        {
            return 8;
        }

        if (r >= Register.AX && r <= Register.R15W)
        {
            return 16;
        }

        if (r >= Register.EAX && r <= Register.R15D)
        {
            return 32;
        }

        if (r >= Register.RAX && r <= Register.R15)
        {
            return 64;
        }

        return -1;
    }

    private static readonly Encoder TrialEncoder = Encoder.Create(64, new NullWriter());
    private static readonly Encoder TrialEncoder32 = Encoder.Create(32, new NullWriter());

    private static int Length(Code code, List<Operand> ops, Value?[] values, int bitness)
    {
        // A large placeholder keeps unknown (relocatable) displacements at 32 bits, as as does.
        var ins = Build(code, ops, values, 0x7fff0000, bitness);
        var trial = bitness == 32 ? TrialEncoder32 : TrialEncoder;
        lock (trial)
        {
            return trial.TryEncode(ins, 0x1000, out uint len, out _) ? (int)len : -1;
        }
    }

    /// <summary>A register 32-bit code cannot name (64-bit, r8-r15, the REX byte registers, %rip), or null.</summary>
    private static Register? Not32Bit(List<Operand> ops)
    {
        foreach (var op in ops)
        {
            foreach (var r in new[] { op.Kind == OperandKind.Register ? op.Register : Register.None, op.Base, op.Index })
            {
                if (r == Register.None)
                {
                    continue;
                }

                bool wide = (r >= Register.RAX && r <= Register.R15) || r == Register.RIP || r == Register.EIP
                    || (r >= Register.R8L && r <= Register.R15L) || (r >= Register.SPL && r <= Register.DIL)
                    || (r >= Register.R8W && r <= Register.R15W) || (r >= Register.R8D && r <= Register.R15D)
                    || (r >= Register.CR8 && r <= Register.CR15) || (r >= Register.DR8 && r <= Register.DR15);
                if (wide)
                {
                    return r;
                }
            }
        }

        return null;
    }

    private static int Shortest(List<Code> codes, List<Operand> ops, Value?[] values, int bitness)
    {
        int best = int.MaxValue;
        foreach (var c in codes)
        {
            int len = Length(c, ops, values, bitness);
            if (len >= 0 && len < best)
            {
                best = len;
            }
        }

        return best;
    }

    private static bool PreferOnTie(Code candidate, Code current)
    {
        if (current == Code.INVALID)
        {
            return true;
        }

        static bool RmFirst(Code c)
        {
            var k = c.ToOpCode().GetOpKind(0);
            return k == OpCodeOperandKind.r8_or_mem || k == OpCodeOperandKind.r16_or_mem || k == OpCodeOperandKind.r32_or_mem || k == OpCodeOperandKind.r64_or_mem;
        }

        return RmFirst(candidate) && !RmFirst(current);
    }

    private static string DescribeMismatch(MnemonicInfo info, List<Operand> ops)
    {
        var kinds = new List<string>();
        for (int i = ops.Count - 1; i >= 0; i--)
        {
            var op = ops[i];
            kinds.Add(op.Kind switch
            {
                OperandKind.Register => "%" + op.Register.ToString().ToLowerInvariant(),
                OperandKind.Immediate => "immediate",
                _ => op.Indirect ? "*memory" : "memory",
            });
        }

        string suffix = info.Size != 0 ? $" ({info.Size}-bit)" : string.Empty;
        return $"no form of '{info.Mnemonic.ToString().ToLowerInvariant()}'{suffix} takes operands ({string.Join(", ", kinds)})";
    }

    /// <summary>What selection needs of a code, computed once: operand kinds and data size.</summary>
    private sealed class Form
    {
        public Form(Code code)
        {
            var oc = code.ToOpCode();
            Kinds = new OpCodeOperandKind[oc.OpCount];
            for (int i = 0; i < Kinds.Length; i++)
            {
                Kinds[i] = oc.GetOpKind(i);
            }

            Mnemonic = oc.Mnemonic;
            DataSize = ComputeDataSize(oc);
        }

        public OpCodeOperandKind[] Kinds { get; }

        public Mnemonic Mnemonic { get; }

        public int DataSize { get; }
    }

    private static Form[] BuildForms()
    {
        var forms = new Form[Enum.GetValues(typeof(Code)).Length];
        foreach (var list in CodesByMnemonic.Values.Concat(CodesByMnemonic32.Values))
        {
            foreach (var c in list)
            {
                forms[(int)c] = new Form(c);
            }
        }

        return forms;
    }

    private static Dictionary<Mnemonic, List<Code>> BuildCodes(int bitness)
    {
        var d = new Dictionary<Mnemonic, List<Code>>();
        foreach (Code code in Enum.GetValues(typeof(Code)))
        {
            if (code == Code.INVALID)
            {
                continue;
            }

            var oc = code.ToOpCode();
            if (!oc.IsInstruction || !(bitness == 32 ? oc.Mode32 : oc.Mode64) || oc.Encoding != EncodingKind.Legacy || oc.Fwait)
            {
                continue;
            }

            // Forms whose operands are implicit string registers are built by StringInstructions.
            bool implicitString = false;
            for (int i = 0; i < oc.OpCount; i++)
            {
                var k = oc.GetOpKind(i);
                implicitString |= k == OpCodeOperandKind.seg_rSI || k == OpCodeOperandKind.es_rDI || k == OpCodeOperandKind.seg_rDI;
            }

            if (implicitString)
            {
                continue;
            }

            if (!d.TryGetValue(oc.Mnemonic, out var list))
            {
                d[oc.Mnemonic] = list = new List<Code>();
            }

            list.Add(code);
        }

        return d;
    }

    private sealed class NullWriter : CodeWriter
    {
        public override void WriteByte(byte value)
        {
        }
    }
}
