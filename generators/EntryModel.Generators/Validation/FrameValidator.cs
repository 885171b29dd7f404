using System;
using System.Collections.Generic;
using EntryModel.Generators.Model;

namespace EntryModel.Generators.Validation;

/// <summary>
/// Stack validation of one text section, after objtool's check pass: every function is followed
/// from its first instruction with the function-entry state, then every hinted instruction no
/// path reached from its hint, along every branch, tracking the CFI state per instruction. A path
/// ends at a return, an unconditional or indirect jump, a dead end, or an instruction an earlier
/// path reached with the same state. The first broken rule stops validation of what is being
/// followed (the function, or the hinted code), as in objtool; other functions are still checked.
/// </summary>
internal sealed class FrameValidator
{
    private static readonly CfiState FunctionEntry = CfiState.FunctionEntry();

    private readonly KernelText code;
    private readonly bool frameRules;
    private readonly List<ValidationFinding> findings = [];

    private FrameValidator(KernelText code, bool frameRules)
    {
        this.code = code;
        this.frameRules = frameRules;
    }

    public static TextValidation Validate(ValidationUnit unit)
    {
        var code = KernelText.Prepare(unit);
        if (code.Fatal is { } fatal)
        {
            return Result(unit, [fatal], EquatableArray<OrcRow>.Empty, code.Instructions.Count);
        }

        var validator = new FrameValidator(code, unit.FrameRules);
        validator.Run();
        var orc = unit.Orc ? OrcRowBuilder.Build(code, validator.findings) : EquatableArray<OrcRow>.Empty;
        return Result(unit, validator.findings, orc, code.Instructions.Count);
    }

    /// <summary>How deep alternatives within alternatives are followed (each level is a nested walk).</summary>
    private const int MaxAlternativeDepth = 64;

    private int alternativeDepth;

    // The states instructions keep, one frozen copy per distinct state: code of the same shape
    // (every function's prologue, say) reaches the same states again and again.
    private readonly Dictionary<CfiState, CfiState> frozen = new();

    // Path stacks of finished walks, reused by the next (one is needed per level of nesting).
    private readonly Stack<Stack<Pending>> spareStacks = new();

    private static TextValidation Result(ValidationUnit unit, List<ValidationFinding> findings, EquatableArray<OrcRow> orc, int instructions) =>
        new(unit.ModelKey, unit.StrategyIndex, new EquatableArray<ValidationFinding>(findings), orc, instructions, null);

    private void Run()
    {
        var instructions = code.Instructions;
        for (int f = 0; f < code.Functions.Count; f++)
        {
            code.TryFind(code.Functions[f].Address, out int first);
            if (!instructions[first].Visited && !code.IsIgnored(f))
            {
                Walk(f, first, FunctionEntry.Clone());
            }
        }

        for (int i = 0; i < instructions.Count; i++)
        {
            var insn = instructions[i];
            if (insn.Hint && !insn.Visited && !code.IsIgnored(insn.Function))
            {
                Walk(insn.Function, i, new CfiState());
            }
        }

        if (findings.Count == 0)
        {
            FindUnreachable();
        }
    }

    /// <summary>A path still to follow: from an instruction, or (a conditional jump's fall-through) from after one.</summary>
    private readonly record struct Pending(int Instruction, CfiState State, bool DirectionFlag, bool AfterBranch);

    /// <summary>The frozen copy of <paramref name="state"/> instructions share (never changed after: paths that go on from it clone it).</summary>
    private CfiState Freeze(CfiState state)
    {
        if (!frozen.TryGetValue(state, out var copy))
        {
            copy = state.Clone();
            frozen.Add(copy, copy);
        }

        return copy;
    }

    /// <summary>Follows every path from <paramref name="start"/>; false when a rule was broken (and recorded).</summary>
    private bool Walk(int func, int start, CfiState initial, bool directionFlag = false)
    {
        // Walks nest (an alternative is walked from inside the walk that reaches it): each takes a stack of its own, kept for the next.
        var pending = spareStacks.Count > 0 ? spareStacks.Pop() : new Stack<Pending>();
        try
        {
            return Walk(func, start, initial, directionFlag, pending);
        }
        finally
        {
            pending.Clear();
            spareStacks.Push(pending);
        }
    }

    private bool Walk(int func, int start, CfiState initial, bool directionFlag, Stack<Pending> pending)
    {
        var instructions = code.Instructions;
        pending.Push(new Pending(start, initial, directionFlag, false));
        while (pending.Count > 0)
        {
            var p = pending.Pop();
            int i = p.Instruction;
            var state = p.State;
            bool df = p.DirectionFlag;
            int prev = p.AfterBranch ? i : -1;
            bool resume = p.AfterBranch;
            while (true)
            {
                var insn = instructions[i];
                var next = code.Next(i);
                if (!resume)
                {
                    var step = Step(func, i, next, prev, ref state, ref df, pending, out int jumpTo);
                    if (step == StepResult.Broken)
                    {
                        return false;
                    }

                    if (step == StepResult.PathEnds)
                    {
                        break;
                    }

                    if (step == StepResult.Jump)
                    {
                        prev = -1;
                        i = jumpTo;
                        continue;
                    }
                }

                resume = false;
                if (insn.DeadEnd)
                {
                    break;
                }

                if (next is null)
                {
                    if (state.Cfa.Base == CfiRegisters.Undefined)
                    {
                        break;
                    }

                    return Broken(ValidationRule.EndOfSection, insn.Address, $"{code.SectionOf(insn.Address).Name}: unexpected end of section");
                }

                if (insn.InReplacement && code.NextIndex(i) != i + 1)
                {
                    // Falling out of a replacement: what objtool's fake NOP after it would record.
                    insn.EndCfi ??= state.Clone();
                }

                prev = i;
                i = code.NextIndex(i);
            }
        }

        return true;
    }

    private enum StepResult
    {
        Continue,
        Jump,
        PathEnds,
        Broken,
    }

    private StepResult Step(int func, int i, CodeInstruction? next, int prev, ref CfiState state, ref bool df, Stack<Pending> pending, out int jumpTo)
    {
        jumpTo = -1;
        var instructions = code.Instructions;
        var insn = instructions[i];
        if (func >= 0 && insn.Function >= 0 && func != insn.Function)
        {
            var from = prev >= 0 ? instructions[prev].Address : insn.Address;
            Broken(ValidationRule.FallsThrough, from, $"{code.Functions[func].Name}() falls through to next function {code.Functions[insn.Function].Name}()");
            return StepResult.Broken;
        }

        if (code.IsIgnored(insn.Function))
        {
            // A STACK_FRAME_NON_STANDARD function: objtool does not follow paths into it.
            return StepResult.PathEnds;
        }

        if (insn.Visited)
        {
            if (!insn.Hint && !Matches(insn, state))
            {
                return StepResult.Broken;
            }

            return StepResult.PathEnds;
        }

        if (insn.Hint)
        {
            if (insn.Restore && !RestoreFromSave(func, i))
            {
                return StepResult.Broken;
            }

            state = insn.Cfi?.Clone() ?? new CfiState();
        }
        else
        {
            insn.Cfi = prev >= 0 && instructions[prev].Cfi is { } shared && shared.Equals(state) ? shared : Freeze(state);
        }

        insn.Visited = true;

        // Alternatives first, each from the state before this instruction, as objtool follows them.
        if (insn.Alternatives is { } alternatives)
        {
            if (alternativeDepth >= MaxAlternativeDepth)
            {
                // Real kernels nest alternatives a level or two; a deeper chain is hostile input.
                Broken(ValidationRule.BadDestination, insn.Address, $"alternatives nest more than {MaxAlternativeDepth} deep here");
                return StepResult.Broken;
            }

            alternativeDepth++;
            try
            {
                foreach (int alternative in alternatives)
                {
                    if (!Walk(func, alternative, state.Clone(), df))
                    {
                        return StepResult.Broken;
                    }
                }
            }
            finally
            {
                alternativeDepth--;
            }
        }

        foreach (var op in insn.Ops)
        {
            if (CfiTracker.Apply(state, op, insn.Function >= 0, next is { Hint: true }, frameRules) is { } broken)
            {
                Broken(broken.Rule, insn.Address, broken.Message);
                return StepResult.Broken;
            }
        }

        switch (insn.Type)
        {
            case InstructionType.Return:
                return CheckReturn(func, insn, state, df) ? StepResult.PathEnds : StepResult.Broken;

            case InstructionType.Call:
            case InstructionType.CallDynamic:
                if (df)
                {
                    Broken(ValidationRule.DirectionFlag, insn.Address, $"call to {insn.CallDestination ?? "{dynamic}"}() with DF set");
                    return StepResult.Broken;
                }

                if (frameRules && func >= 0 && !IsSpecialCall(insn) && !HasValidFrame(state))
                {
                    Broken(ValidationRule.CallWithoutFrame, insn.Address, "call without frame pointer save/setup");
                    return StepResult.Broken;
                }

                return insn.DeadEnd ? StepResult.PathEnds : StepResult.Continue;

            case InstructionType.JumpConditional:
            case InstructionType.JumpUnconditional:
                if (KernelText.IsSiblingCall(insn))
                {
                    if (!CheckSiblingCall(insn, state, df))
                    {
                        return StepResult.Broken;
                    }
                }
                else if (insn.JumpDestination >= 0)
                {
                    if (insn.Type == InstructionType.JumpConditional)
                    {
                        // The branch is followed first; the fall-through path waits with its own copy of the state.
                        pending.Push(new Pending(i, state.Clone(), df, AfterBranch: true));
                    }

                    jumpTo = insn.JumpDestination;
                    return StepResult.Jump;
                }

                return insn.Type == InstructionType.JumpUnconditional ? StepResult.PathEnds : StepResult.Continue;

            case InstructionType.JumpDynamic:
                if (KernelText.IsSiblingCall(insn) && !CheckSiblingCall(insn, state, df))
                {
                    return StepResult.Broken;
                }

                return StepResult.PathEnds;

            case InstructionType.ContextSwitch:
                if (func < 0)
                {
                    return StepResult.PathEnds;
                }

                if (next is not { Hint: true })
                {
                    Broken(ValidationRule.MissingHint, insn.Address, "unsupported instruction in callable function");
                    return StepResult.Broken;
                }

                return StepResult.Continue;

            case InstructionType.Std:
                if (df)
                {
                    Broken(ValidationRule.DirectionFlag, insn.Address, "recursive STD");
                    return StepResult.Broken;
                }

                df = true;
                return StepResult.Continue;

            case InstructionType.Cld:
                if (!df && func >= 0)
                {
                    Broken(ValidationRule.DirectionFlag, insn.Address, "redundant CLD");
                    return StepResult.Broken;
                }

                df = false;
                return StepResult.Continue;

            default:
                return StepResult.Continue;
        }
    }

    private bool RestoreFromSave(int func, int i)
    {
        var instructions = code.Instructions;
        ulong floor = func >= 0 ? code.Functions[func].Address : code.SectionOf(instructions[i].Address).Start;
        for (int j = i - 1; j >= 0 && instructions[j].Address >= floor; j--)
        {
            if (instructions[j].Save)
            {
                if (!instructions[j].Visited)
                {
                    return Broken(ValidationRule.BadHint, instructions[i].Address, "objtool isn't smart enough to handle this CFI save/restore combo");
                }

                instructions[i].Cfi = instructions[j].Cfi;
                return true;
            }
        }

        return Broken(ValidationRule.BadHint, instructions[i].Address, "no corresponding CFI save for CFI restore");
    }

    private bool CheckReturn(int func, CodeInstruction insn, CfiState state, bool df)
    {
        if (df)
        {
            return Broken(ValidationRule.DirectionFlag, insn.Address, "return with DF set");
        }

        if (func >= 0 && HasModifiedFrame(state))
        {
            return Broken(ValidationRule.ReturnWithModifiedFrame, insn.Address, "return with modified stack frame");
        }

        if (state.BpScratch)
        {
            return Broken(ValidationRule.BpScratch, insn.Address, "BP used as a scratch register");
        }

        return true;
    }

    private bool CheckSiblingCall(CodeInstruction insn, CfiState state, bool df)
    {
        if (HasModifiedFrame(state))
        {
            return Broken(ValidationRule.SiblingCallWithModifiedFrame, insn.Address, "sibling call from callable instruction with modified stack frame");
        }

        if (df)
        {
            return Broken(ValidationRule.DirectionFlag, insn.Address, $"call to {insn.CallDestination ?? "{dynamic}"}() with DF set");
        }

        return true;
    }

    /// <summary>Whether two paths agree at an instruction; if not, records objtool's mismatch finding.</summary>
    private bool Matches(CodeInstruction insn, CfiState other)
    {
        var mine = insn.Cfi!;
        if (mine.Cfa != other.Cfa)
        {
            return Broken(ValidationRule.StackStateMismatch, insn.Address, $"stack state mismatch: cfa1={mine.Cfa} cfa2={other.Cfa}");
        }

        for (int r = 0; r < CfiRegisters.Count; r++)
        {
            if (mine.Regs[r] != other.Regs[r])
            {
                var rule = r == CfiRegisters.Bp ? ValidationRule.FramePointerMismatch : ValidationRule.StackStateMismatch;
                return Broken(rule, insn.Address, $"stack state mismatch: reg1[{r}]={mine.Regs[r]} reg2[{r}]={other.Regs[r]}");
            }
        }

        if (mine.Type != other.Type)
        {
            return Broken(ValidationRule.StackStateMismatch, insn.Address, $"stack state mismatch: type1={mine.Type} type2={other.Type}");
        }

        if (mine.Drap != other.Drap || (mine.Drap && (mine.DrapReg != other.DrapReg || mine.DrapOffset != other.DrapOffset)))
        {
            return Broken(ValidationRule.StackStateMismatch, insn.Address, $"stack state mismatch: drap1={(mine.Drap ? 1 : 0)}({mine.DrapReg},{mine.DrapOffset}) drap2={(other.Drap ? 1 : 0)}({other.DrapReg},{other.DrapOffset})");
        }

        return true;
    }

    private static bool HasModifiedFrame(CfiState state)
    {
        if (state.Cfa != FunctionEntry.Cfa || state.Drap || state.StackSize != FunctionEntry.Cfa.Offset)
        {
            return true;
        }

        for (int r = 0; r < CfiRegisters.Count; r++)
        {
            if (state.Regs[r] != FunctionEntry.Regs[r])
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>%rbp locates the CFA and holds the frame record: saved %rbp just below the return address.</summary>
    private static bool HasValidFrame(CfiState state)
    {
        var cfa = state.Cfa;
        if (cfa.Base == CfiRegisters.Bp
            && state.Regs[CfiRegisters.Bp] == new CfiReg(CfiRegisters.Cfa, -cfa.Offset)
            && state.Regs[CfiRegisters.Ra] == new CfiReg(CfiRegisters.Cfa, -cfa.Offset + 8))
        {
            return true;
        }

        return state.Drap && state.Regs[CfiRegisters.Bp].Base == CfiRegisters.Bp;
    }

    /// <summary>Calls that are not calls for the frame rules: ftrace's entry hook and return thunks inside instructions.</summary>
    private static bool IsSpecialCall(CodeInstruction insn) =>
        insn.Type == InstructionType.Call && insn.CallDestination is "__fentry__" or "retbleed_return_thunk" or "srso_safe_ret";

    /// <summary>
    /// The first instruction of each function or entry region no path reached. Only when nothing
    /// else was found: a broken rule stops a path early and leaves the rest of it unvisited.
    /// </summary>
    private void FindUnreachable()
    {
        var instructions = code.Instructions;
        string? lastRegion = null;
        for (int i = 0; i < instructions.Count; i++)
        {
            var insn = instructions[i];
            if (insn.Visited || IgnoredWhenUnreachable(i))
            {
                continue;
            }

            string region = insn.Function >= 0 ? code.Functions[insn.Function].Name : RegionName(insn.Address);
            if (region == lastRegion)
            {
                continue;
            }

            lastRegion = region;
            findings.Add(insn.Function >= 0
                ? new ValidationFinding(ValidationRule.UnreachableInstruction, insn.Address, "unreachable instruction")
                : new ValidationFinding(ValidationRule.MissingHint, insn.Address, "unreachable instruction"));
        }
    }

    private string RegionName(ulong address)
    {
        // Symbols come sorted by address: the last one at or below the address, if it is in the same section.
        var section = code.SectionOf(address);
        var symbols = code.Unit.Symbols;
        int found = Sorted.LastAtOrBelow(symbols, address, static s => s.Address);
        return found >= 0 && symbols[found].Address >= section.Start ? symbols[found].Name : section.Name;
    }

    private bool IgnoredWhenUnreachable(int i)
    {
        var instructions = code.Instructions;
        var insn = instructions[i];
        if (insn.Type is InstructionType.Nop or InstructionType.Trap || insn.InReplacement || code.IsIgnored(insn.Function))
        {
            return true;
        }

        if (insn.Function < 0)
        {
            return false;
        }

        // A ud2 (or a jump to one) right after a call that does not return: compilers put them there.
        if (i > 0)
        {
            var before = instructions[i - 1];
            if ((before.DeadEnd || code.IsDeadEnd(before.CallDestination))
                && (insn.Type == InstructionType.Bug
                    || (insn.Type == InstructionType.JumpUnconditional && insn.JumpDestination >= 0 && instructions[insn.JumpDestination].Type == InstructionType.Bug)))
            {
                return true;
            }
        }

        // Sanitizer reports within the next few instructions.
        var f = code.Functions[insn.Function];
        for (int k = 0, j = i; k < 5 && j < instructions.Count; k++)
        {
            var probe = instructions[j];
            if (probe.Type == InstructionType.Call && probe.CallDestination is "__asan_handle_no_return" or "__ubsan_handle_builtin_unreachable")
            {
                return true;
            }

            if (probe.Type == InstructionType.JumpUnconditional)
            {
                if (probe.JumpDestination >= 0 && instructions[probe.JumpDestination].Function == insn.Function)
                {
                    j = probe.JumpDestination;
                    continue;
                }

                break;
            }

            if (probe.Address + (ulong)probe.Length >= f.Address + f.Size)
            {
                break;
            }

            j++;
        }

        return false;
    }

    private bool Broken(ValidationRule rule, ulong address, string message)
    {
        findings.Add(new ValidationFinding(rule, address, message));
        return false;
    }
}
