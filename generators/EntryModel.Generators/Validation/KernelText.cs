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

    private readonly Dictionary<ulong, int> byAddress = new();
    private readonly Dictionary<int, bool> deadEndCache = new();

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
    }

    public ValidationUnit Unit { get; }

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
        if (code.Decode() && code.AddJumpDestinations() && code.AddCallDestinations())
        {
            code.ReadHints();
        }

        return code;
    }

    public bool TryFind(ulong address, out int index) => byAddress.TryGetValue(address, out index);

    /// <summary>The instruction right after <paramref name="index"/>'s bytes, or null at the end of its chunk.</summary>
    public CodeInstruction? Next(int index)
    {
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
        for (int f = 0; f < Functions.Count; f++)
        {
            var s = Functions[f];
            if (address >= s.Address && address < s.Address + s.Size)
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

        int f = Functions.FindIndex(s => s.Name == name);
        if (f < 0)
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
        foreach (var insn in Instructions)
        {
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
        foreach (var chunk in Unit.Chunks)
        {
            byte[] bytes = [.. chunk.Bytes];
            var reader = new ByteArrayCodeReader(bytes);
            var decoder = Iced.Intel.Decoder.Create(64, reader, chunk.Address, DecoderOptions.None);
            int offset = 0;
            while (offset < bytes.Length)
            {
                ulong address = chunk.Address + (ulong)offset;
                decoder.IP = address;
                reader.Position = offset;
                decoder.Decode(out var instruction);
                if (instruction.IsInvalid || instruction.Length == 0 || offset + instruction.Length > bytes.Length)
                {
                    Fatal = new ValidationFinding(ValidationRule.BadDestination, address, $"can't decode instruction at {Place(address).Replace('+', ':')}");
                    return false;
                }

                var constants = decoder.GetConstantOffsets(instruction);
                bool inFunction = FunctionAt(address) >= 0;
                ops.Clear();
                var type = StackOpDecoder.Classify(bytes, offset, instruction, constants, inFunction, ops);
                ulong? target = IsNearBranch(instruction) ? instruction.NearBranchTarget : null;
                var insn = new CodeInstruction(address, instruction.Length, type, [.. ops], target);
                insn.DeadEnd = type == InstructionType.Bug;
                byAddress[address] = Instructions.Count;
                Instructions.Add(insn);
                offset += instruction.Length;
            }
        }

        for (int f = 0; f < Functions.Count; f++)
        {
            if (!byAddress.ContainsKey(Functions[f].Address))
            {
                Fatal = new ValidationFinding(ValidationRule.BadDestination, Functions[f].Address, $"{Functions[f].Name}(): can't find starting instruction");
                return false;
            }
        }

        foreach (var insn in Instructions)
        {
            insn.Function = FunctionAt(insn.Address);
        }

        return true;
    }

    private static bool IsNearBranch(in Instruction instruction) =>
        instruction.Op0Kind is OpKind.NearBranch16 or OpKind.NearBranch32 or OpKind.NearBranch64;

    private bool AddJumpDestinations()
    {
        foreach (var insn in Instructions)
        {
            if (!insn.IsStaticJump || insn.Target is not ulong target)
            {
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

            if (!byAddress.TryGetValue(target, out int dest))
            {
                Fatal = new ValidationFinding(ValidationRule.BadDestination, insn.Address, $"can't find jump dest instruction at {Place(target)}");
                return false;
            }

            // From a function, a jump to another function's start, or to any named symbol outside it, is a tail call
            // (objtool sees the latter through a relocation, as each declaration is its own section in an object).
            int destFunction = Instructions[dest].Function;
            bool otherFunctionStart = destFunction >= 0 && insn.Function != destFunction && Functions[destFunction].Address == target;
            bool namedOutside = destFunction != insn.Function && SymbolAt(target) is not null;
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
                dest = Functions.Find(s => s.Address == target) ?? SymbolAt(target);
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
            insn.Ops.Clear();
            insn.CallDestination = dest?.Name ?? $"0x{target:x}";
            insn.DeadEnd = IsDeadEnd(dest?.Name);
        }

        return true;
    }

    private ValidationSymbol? SymbolAt(ulong address)
    {
        ValidationSymbol? any = null;
        foreach (var s in Unit.Symbols)
        {
            if (s.Address == address)
            {
                if (s.IsFunction)
                {
                    return s;
                }

                any ??= s;
            }
        }

        return any;
    }

    private void ReadHints()
    {
        // Hints that do not name a CFI of their own start from "nothing known", and each carries on from the last.
        var cfi = new CfiState();
        var funcCfi = CfiState.FunctionEntry();
        for (int h = 0; h < Unit.Hints.Count; h++)
        {
            var hint = Unit.Hints[h];
            if (!byAddress.TryGetValue(hint.Address, out int index))
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
