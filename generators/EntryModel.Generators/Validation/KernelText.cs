using System;
using System.Collections.Generic;
using Iced.Intel;

namespace EntryModel.Generators.Validation;

/// <summary>
/// A text section decoded for validation, as objtool's <c>decode_sections</c> prepares an object:
/// every instruction from the section's start, the function each belongs to, jump and call
/// destinations (tail calls recognised), dead ends, and the unwind hints attached to their
/// instructions. A problem that keeps objtool from validating at all ends preparation with one
/// finding in <see cref="Fatal"/>.
/// </summary>
internal sealed class KernelText
{
    /// <summary>Functions the kernel cannot return from, known by name (objtool cannot see noreturn in ELF either).</summary>
    private static readonly HashSet<string> GlobalNoReturns = new(StringComparer.Ordinal)
    {
        "__invalid_creds", "__module_put_and_kthread_exit", "__reiserfs_panic", "__stack_chk_fail",
        "__ubsan_handle_builtin_unreachable", "cpu_bringup_and_idle", "cpu_startup_entry", "do_exit",
        "do_group_exit", "do_task_dead", "ex_handler_msr_mce", "fortify_panic", "kthread_complete_and_exit",
        "kthread_exit", "kunit_try_catch_throw", "lbug_with_loc", "machine_real_restart", "make_task_dead",
        "panic", "rewind_stack_and_make_dead", "sev_es_terminate", "snp_abort", "stop_this_cpu",
        "usercopy_abort", "xen_start_kernel",
    };

    private readonly Dictionary<int, bool> deadEndCache = new();

    /// <summary>Per function, whether STACK_FRAME_NON_STANDARD names it.</summary>
    private readonly bool[] ignored;

    /// <summary>Where a replacement's last instruction falls through to: the instruction after its original.</summary>
    private readonly Dictionary<int, int> fallthrough = new();
    private readonly Dictionary<ulong, ValidationSymbol> symbolAt = new();
    private readonly Dictionary<string, int> functionNamed = new(StringComparer.Ordinal);

    /// <summary>Per function (by address), the furthest end of it and every function before it: where a backward search can stop.</summary>
    private ulong[] functionReach = [];

    /// <summary>Per function, the index range of its instructions (they are contiguous).</summary>
    private (int First, int End)[] functionInstructions = [];

    private KernelText(ValidationUnit unit)
    {
        Unit = unit;
        foreach (var s in unit.Symbols)
        {
            if (s.IsFunction && s.Size > 0 && Contains(s.Address))
            {
                Functions.Add(s);
            }
        }

        Functions.Sort((a, b) => a.Address.CompareTo(b.Address));
        functionReach = new ulong[Functions.Count];

        // Asked at every step of every path: decided once per function.
        ignored = new bool[Functions.Count];
        for (int f = 0; f < Functions.Count; f++)
        {
            ignored[f] = Unit.IgnoredFunctions.Items.Contains(Functions[f].Address);
        }

        for (int f = 0; f < Functions.Count; f++)
        {
            functionReach[f] = Math.Max(f > 0 ? functionReach[f - 1] : 0, Functions[f].Address + Functions[f].Size);
            functionNamed[Functions[f].Name] = f;
        }

        // By address, a function wins over another symbol at the same place (objtool's find_call_destination).
        foreach (var s in unit.Symbols)
        {
            if (!symbolAt.TryGetValue(s.Address, out var known) || (s.IsFunction && !known.IsFunction))
            {
                symbolAt[s.Address] = s;
            }
        }
    }

    public ValidationUnit Unit { get; }

    /// <summary>Whether function <paramref name="f"/> is one objtool skips (STACK_FRAME_NON_STANDARD).</summary>
    public bool IsIgnored(int f) => f >= 0 && ignored[f];

    /// <summary>The section holding <paramref name="address"/> and where that section's code starts (for objtool's <c>section+offset</c>).</summary>
    public (string Name, ulong Start) SectionOf(ulong address)
    {
        string? name = null;
        foreach (var chunk in Unit.Chunks)
        {
            if (address >= chunk.Address && address < chunk.End)
            {
                name = chunk.Section;
                break;
            }
        }

        ulong start = ulong.MaxValue;
        foreach (var chunk in Unit.Chunks)
        {
            if (chunk.Section == name && chunk.Address < start)
            {
                start = chunk.Address;
            }
        }

        return name is null ? ("?", 0) : (name, start);
    }

    private string Place(ulong address)
    {
        var (name, start) = SectionOf(address);
        return $"{name}+0x{address - start:x}";
    }

    public List<CodeInstruction> Instructions { get; } = [];

    /// <summary>The section's functions by address (objtool's STT_FUNC symbols with a size).</summary>
    public List<ValidationSymbol> Functions { get; } = [];

    public ValidationFinding? Fatal { get; private set; }

    public static KernelText Prepare(ValidationUnit unit)
    {
        var code = new KernelText(unit);
        if (code.Decode() && code.AddAlternatives() && code.AddJumpDestinations() && code.AddCallDestinations())
        {
            code.ReadHints();
        }

        return code;
    }

    /// <summary>The instruction starting exactly at <paramref name="address"/> (instructions are in address order).</summary>
    public bool TryFind(ulong address, out int index)
    {
        index = Sorted.LastAtOrBelow(Instructions, address, static i => i.Address);
        if (index >= 0 && Instructions[index].Address == address)
        {
            return true;
        }

        index = -1;
        return false;
    }

    /// <summary>
    /// The index of the instruction a path falls through to after <paramref name="index"/>: the next
    /// one, or after a replacement's last instruction the one after its original (-1: none).
    /// </summary>
    public int NextIndex(int index) => fallthrough.TryGetValue(index, out int next) ? next : index + 1;

    /// <summary>The instruction right after <paramref name="index"/>'s bytes (after a replacement: after its original), or null at the end of its chunk.</summary>
    public CodeInstruction? Next(int index)
    {
        if (fallthrough.TryGetValue(index, out int after))
        {
            return after >= 0 ? Instructions[after] : null;
        }

        if (index + 1 >= Instructions.Count)
        {
            return null;
        }

        var insn = Instructions[index];
        var next = Instructions[index + 1];
        return next.Address == insn.Address + (ulong)insn.Length ? next : null;
    }

    public bool Contains(ulong address)
    {
        foreach (var chunk in Unit.Chunks)
        {
            if (address >= chunk.Address && address < chunk.End)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The function containing <paramref name="address"/>, as an index into <see cref="Functions"/>, or -1.</summary>
    public int FunctionAt(ulong address)
    {
        // The last function starting at or below the address; overlapping ones are searched back from there.
        int found = Sorted.LastAtOrBelow(Functions, address, static s => s.Address);
        for (int f = found; f >= 0 && functionReach[f] > address; f--)
        {
            var s = Functions[f];
            if (address < s.Address + s.Size)
            {
                return f;
            }
        }

        return -1;
    }

    /// <summary>Whether a call to <paramref name="name"/> never comes back: a known noreturn, or a function here with no return or tail call.</summary>
    public bool IsDeadEnd(string? name)
    {
        if (name is null)
        {
            return false;
        }

        if (GlobalNoReturns.Contains(name))
        {
            return true;
        }

        if (!functionNamed.TryGetValue(name, out int f))
        {
            return false;
        }

        if (!deadEndCache.TryGetValue(f, out bool dead))
        {
            dead = ComputeDeadEnd(f);
            deadEndCache[f] = dead;
        }

        return dead;
    }

    private bool ComputeDeadEnd(int f)
    {
        bool empty = true;
        var (first, end) = functionInstructions[f];
        for (int i = first; i < end; i++)
        {
            var insn = Instructions[i];
            if (insn.Function != f)
            {
                continue;
            }

            empty = false;
            if (insn.Type == InstructionType.Return || IsSiblingCall(insn))
            {
                // A tail call's fate is its target's; objtool only follows local targets it can find, which a tail call never records.
                return false;
            }
        }

        return !empty;
    }

    public static bool IsSiblingCall(CodeInstruction insn) =>
        insn.Function >= 0 && (insn.Type == InstructionType.JumpDynamic || (insn.IsStaticJump && insn.SiblingCall));

    private bool Decode()
    {
        var ops = new List<StackOp>();
        int expected = 0;
        foreach (var chunk in Unit.Chunks)
        {
            expected += chunk.Bytes.Count / 4;
        }

        Instructions.Capacity = expected;
        foreach (var chunk in Unit.Chunks)
        {
            var bytes = new byte[chunk.Bytes.Count];
            chunk.Bytes.Items.CopyTo(bytes);
            var reader = new ByteArrayCodeReader(bytes);
            var decoder = Iced.Intel.Decoder.Create(64, reader, chunk.Address, DecoderOptions.None);
            int offset = 0;
            while (offset < bytes.Length)
            {
                // The decoder runs on through the chunk; its IP follows the bytes it consumed.
                ulong address = chunk.Address + (ulong)offset;
                decoder.Decode(out var instruction);
                if (instruction.IsInvalid || instruction.Length == 0 || offset + instruction.Length > bytes.Length)
                {
                    Fatal = new ValidationFinding(ValidationRule.BadDestination, address, $"can't decode instruction at {Place(address).Replace('+', ':')}");
                    return false;
                }

                var constants = decoder.GetConstantOffsets(instruction);
                int function = FunctionAt(address);
                ops.Clear();
                var type = StackOpDecoder.Classify(bytes, offset, instruction, constants, function >= 0, ops);
                if (type == InstructionType.Call && IsNearBranch(instruction) && IsIntraFunctionCall(address))
                {
                    // objtool's read_intra_function_calls: a jump that keeps the call's push of the return address.
                    type = InstructionType.JumpUnconditional;
                }

                ulong? target = IsNearBranch(instruction) ? instruction.NearBranchTarget : null;
                var insn = new CodeInstruction(address, instruction.Length, type, ops.Count == 0 ? [] : [.. ops], target);
                insn.DeadEnd = type == InstructionType.Bug;
                insn.Function = function;
                Instructions.Add(insn);
                offset += instruction.Length;
            }
        }

        for (int f = 0; f < Functions.Count; f++)
        {
            if (!TryFind(Functions[f].Address, out _))
            {
                Fatal = new ValidationFinding(ValidationRule.BadDestination, Functions[f].Address, $"{Functions[f].Name}(): can't find starting instruction");
                return false;
            }
        }

        functionInstructions = new (int, int)[Functions.Count];
        for (int i = 0; i < Instructions.Count; i++)
        {
            int f = Instructions[i].Function;
            if (f >= 0)
            {
                var (first, end) = functionInstructions[f];
                functionInstructions[f] = end == 0 ? (i, i + 1) : (first, i + 1);
            }
        }

        return true;
    }

    /// <summary>The kernel's return thunk, which objtool (<c>--rethunk</c>) takes a jump to as a return.</summary>
    private static bool IsReturnThunk(string? name) => name == "__x86_return_thunk";

    /// <summary>Symbols whose RET sits inside another instruction (objtool's arch_is_embedded_insn).</summary>
    private static bool IsEmbeddedReturn(string? name) => name is "retbleed_return_thunk" or "srso_safe_ret";

    private bool IsIntraFunctionCall(ulong address) =>
        Unit.IntraFunctionCalls.Count > 0 && Sorted.LastAtOrBelow(Unit.IntraFunctionCalls.Items, address, static a => a) is int i && i >= 0 && Unit.IntraFunctionCalls[i] == address;

    private static bool IsNearBranch(in Instruction instruction) =>
        instruction.Op0Kind is OpKind.NearBranch16 or OpKind.NearBranch32 or OpKind.NearBranch64;

    /// <summary>
    /// objtool's alternatives (<c>add_special_section_alts</c>, group alternatives): each record opens
    /// a path at its original instruction, into its replacement (which belongs to the original's
    /// function and, at its end or by a jump to its end, carries on after the original) or, for an
    /// empty replacement, straight past the original. A record whose places are not instructions is
    /// left out, as objtool warns and goes on.
    /// </summary>
    private bool AddAlternatives()
    {
        foreach (var alt in Unit.Alternatives)
        {
            if (!alt.Group)
            {
                // An exception fixup: another path from the faulting instruction.
                if (TryFind(alt.Original, out int faulting) && TryFind(alt.Replacement, out int fixup))
                {
                    (Instructions[faulting].Alternatives ??= []).Add(fixup);
                }

                continue;
            }

            if (alt.OriginalLength == 0 || !TryFind(alt.Original, out int original))
            {
                continue;
            }

            int after = TryFind(alt.Original + (ulong)alt.OriginalLength, out int a) ? a : -1;
            int start = after;
            if (alt.ReplacementLength > 0)
            {
                if (!TryFind(alt.Replacement, out start))
                {
                    continue;
                }

                ulong end = alt.Replacement + (ulong)alt.ReplacementLength;
                int last = start;
                for (int k = start; k < Instructions.Count && Instructions[k].Address < end; k++)
                {
                    Instructions[k].Function = Instructions[original].Function;
                    Instructions[k].ReplacementEnd = end;
                    Instructions[k].AfterOriginal = after;
                    last = k;
                }

                fallthrough[last] = after;
            }

            // Each record makes the original a new group: the last one's length and replacement count for ORC.
            Instructions[original].GroupLength = alt.OriginalLength;
            Instructions[original].Replacement = (alt.ReplacementLength > 0 ? start : -1, alt.Replacement, alt.ReplacementLength);

            if (start >= 0)
            {
                (Instructions[original].Alternatives ??= []).Add(start);
            }
        }

        return true;
    }

    private bool AddJumpDestinations()
    {
        foreach (var insn in Instructions)
        {
            if (!insn.IsStaticJump || insn.Target is not ulong target)
            {
                continue;
            }

            if (IsReturnThunk(SymbolAt(target)?.Name) && SectionOf(target).Name != SectionOf(insn.Address).Name)
            {
                // objtool's rethunk: a jump through a relocation (here: to another section) to the return thunk is a return.
                insn.Type = InstructionType.Return;
                continue;
            }

            if (insn.InReplacement && target == insn.ReplacementEnd)
            {
                // A replacement's jump past its own end goes on after the original it replaces.
                insn.JumpDestination = insn.AfterOriginal;
                continue;
            }

            if (!Contains(target))
            {
                // Out of this section: from a function a tail call, from entry code a jump objtool does not follow.
                if (insn.Function >= 0)
                {
                    insn.SiblingCall = true;
                    insn.CallDestination = SymbolAt(target)?.Name ?? $"0x{target:x}";
                }

                continue;
            }

            if (!TryFind(target, out int dest))
            {
                if (IsEmbeddedReturn(SymbolAt(target)?.Name))
                {
                    // A RET hidden inside another instruction (retbleed_untrain_ret's): objtool takes the jump as a return.
                    insn.Type = InstructionType.Return;
                    continue;
                }

                Fatal = new ValidationFinding(ValidationRule.BadDestination, insn.Address, $"can't find jump dest instruction at {Place(target)}");
                return false;
            }

            // From a function, a jump to another function's start, or to a named symbol a relocation names, is a tail call.
            int destFunction = Instructions[dest].Function;
            bool otherFunctionStart = destFunction >= 0 && insn.Function != destFunction && Functions[destFunction].Address == target;
            // A declaration's name (its own section in objtool's object), or any symbol in another
            // section: the jump reaches it through a relocation naming it.
            bool namedOutside = destFunction != insn.Function && SymbolAt(target) is { } named
                && (named.IsDeclaration || SectionOf(target).Name != SectionOf(insn.Address).Name);
            if (insn.Function >= 0 && (otherFunctionStart || namedOutside))
            {
                insn.SiblingCall = true;
                insn.CallDestination = SymbolAt(target)?.Name;
                continue;
            }

            insn.JumpDestination = dest;
        }

        return true;
    }

    private bool AddCallDestinations()
    {
        foreach (var insn in Instructions)
        {
            if (insn.Type != InstructionType.Call || insn.Target is not ulong target)
            {
                continue;
            }

            ValidationSymbol? dest;
            if (Contains(target))
            {
                dest = SymbolAt(target);
                if (dest is null)
                {
                    Fatal = new ValidationFinding(ValidationRule.BadDestination, insn.Address, "unannotated intra-function call");
                    return false;
                }

                // A named symbol is reached through a relocation in objtool's objects (each declaration
                // its own section), and objtool does not ask what kind of symbol a relocation names.
            }
            else
            {
                dest = SymbolAt(target);
            }

            // Whatever a call does to the stack, the callee's return undoes.
            insn.Ops = [];
            insn.CallDestination = dest?.Name ?? $"0x{target:x}";
            insn.DeadEnd = IsDeadEnd(dest?.Name);
        }

        return true;
    }

    private ValidationSymbol? SymbolAt(ulong address) => symbolAt.TryGetValue(address, out var s) ? s : null;

    private void ReadHints()
    {
        // Hints that do not name a CFI of their own start from "nothing known", and each carries on from the last.
        var cfi = new CfiState();
        var funcCfi = CfiState.FunctionEntry();
        for (int h = 0; h < Unit.Hints.Count; h++)
        {
            var hint = Unit.Hints[h];
            if (!TryFind(hint.Address, out int index))
            {
                Fatal = new ValidationFinding(ValidationRule.BadHint, hint.Address, $"can't find insn for unwind_hints[{h}]");
                return;
            }

            var insn = Instructions[index];
            insn.Hint = true;
            switch (hint.Type)
            {
                case HintTypes.Save:
                    insn.Hint = false;
                    insn.Save = true;
                    continue;
                case HintTypes.Restore:
                    insn.Restore = true;
                    continue;
                case HintTypes.Func:
                    insn.Cfi = funcCfi;
                    continue;
            }

            if (insn.Cfi is { } existing)
            {
                cfi = existing.Clone();
            }

            if (!OrcRegisters.TryToCfi(hint.SpReg, out int spBase))
            {
                Fatal = new ValidationFinding(ValidationRule.BadHint, hint.Address, $"unsupported unwind_hint sp base reg {hint.SpReg}");
                return;
            }

            cfi.Cfa = new CfiReg(spBase, hint.SpOffset);

            // An entry hint (machine entry without a stack yet) is a call-type state.
            cfi.Type = hint.Type == HintTypes.Entry ? HintTypes.Call : hint.Type;
            cfi.End = hint.End;
            insn.Cfi = cfi.Clone();
        }
    }
}
