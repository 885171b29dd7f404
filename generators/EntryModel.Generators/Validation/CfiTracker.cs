namespace EntryModel.Generators.Validation;

/// <summary>
/// Applies one stack operation to the CFI state, following objtool's <c>update_cfi_state</c> rule
/// for rule: pushes and pops move the CFA while it is %rsp-based; <c>mov %rsp, %rbp</c> after
/// <c>push %rbp</c> makes it %rbp-based; saves of callee-saved registers are recorded and their
/// restores forget them; the DRAP patterns (a register holding the pre-realignment stack) and the
/// stack swizzle (switching to another stack through its top word) are followed. Inside a pt_regs
/// hint only pushes, pops and immediate adds move the CFA. A form it cannot follow is a finding.
/// </summary>
internal static class CfiTracker
{
    /// <summary>Null when the operation was followed; otherwise the rule broken and objtool's message.</summary>
    public static (ValidationRule Rule, string Message)? Apply(CfiState cfi, in StackOp op, bool inFunction, bool nextIsHint, bool frameRules)
    {
        var cfa = cfi.Cfa;
        if (cfa.Base == CfiRegisters.Undefined)
        {
            // Entry code before its first hint has no CFA to move; a function must always have one.
            return inFunction ? (ValidationRule.UndefinedStackState, "undefined stack state") : null;
        }

        if (cfi.Type is HintTypes.Regs or HintTypes.RegsPartial)
        {
            ApplyInRegs(cfi, op);
            return null;
        }

        switch (op.Destination)
        {
            case StackOpDestination.Register:
                return ToRegister(cfi, op, nextIsHint);

            case StackOpDestination.Push:
            case StackOpDestination.PushFlags:
                Push(cfi, op, inFunction, frameRules);
                return null;

            case StackOpDestination.RegisterIndirect:
                ToMemory(cfi, op);
                return null;

            case StackOpDestination.Memory:
                if (op.Source is not (StackOpSource.Pop or StackOpSource.PopFlags))
                {
                    return (ValidationRule.UnsupportedStackPointerUse, "unknown stack-related memory operation");
                }

                cfi.StackSize -= 8;
                MoveSpCfa(cfi, -8);
                return null;

            default:
                return (ValidationRule.UnsupportedStackPointerUse, "unknown stack-related instruction");
        }
    }

    private static void ApplyInRegs(CfiState cfi, in StackOp op)
    {
        if (cfi.Cfa.Base is not (CfiRegisters.Sp or CfiRegisters.SpIndirect))
        {
            return;
        }

        int delta = 0;
        if (op.Destination is StackOpDestination.Push or StackOpDestination.PushFlags)
        {
            delta += 8;
        }

        if (op.Source is StackOpSource.Pop or StackOpSource.PopFlags)
        {
            delta -= 8;
        }

        if (op.Destination == StackOpDestination.Register && op.Source == StackOpSource.Add && op.DestinationReg == CfiRegisters.Sp && op.SourceReg == CfiRegisters.Sp)
        {
            delta -= op.SourceOffset;
        }

        cfi.Cfa = cfi.Cfa with { Offset = cfi.Cfa.Offset + delta };
    }

    private static (ValidationRule, string)? ToRegister(CfiState cfi, in StackOp op, bool nextIsHint)
    {
        var cfa = cfi.Cfa;
        var regs = cfi.Regs;
        switch (op.Source)
        {
            case StackOpSource.Register:
                MoveRegister(cfi, op);
                return null;

            case StackOpSource.Add:
                if (op.DestinationReg == CfiRegisters.Sp && op.SourceReg == CfiRegisters.Sp)
                {
                    // add/sub $imm, %rsp
                    cfi.StackSize -= op.SourceOffset;
                    MoveSpCfa(cfi, -op.SourceOffset);
                    return null;
                }

                if (op.DestinationReg == CfiRegisters.Sp && op.SourceReg == CfiRegisters.Bp)
                {
                    // lea disp(%rbp), %rsp
                    cfi.StackSize = -(op.SourceOffset + regs[CfiRegisters.Bp].Offset);
                    return null;
                }

                if (op.SourceReg == CfiRegisters.Sp && cfa.Base == CfiRegisters.Sp)
                {
                    // lea disp(%rsp), %reg: a possible DRAP register, and a value relative to the CFA.
                    cfi.DrapReg = op.DestinationReg;
                    cfi.Vals[op.DestinationReg] = new CfiReg(CfiRegisters.Cfa, -cfi.StackSize + op.SourceOffset);
                    return null;
                }

                if (cfi.Drap && op.DestinationReg == CfiRegisters.Sp && op.SourceReg == cfi.DrapReg)
                {
                    // lea disp(%drap), %rsp: back from the realigned stack.
                    cfi.StackSize = -op.SourceOffset;
                    cfi.Cfa = new CfiReg(CfiRegisters.Sp, cfi.StackSize);
                    cfi.DrapReg = CfiRegisters.Undefined;
                    cfi.Drap = false;
                    return null;
                }

                if (op.DestinationReg == cfa.Base && !nextIsHint)
                {
                    return (ValidationRule.UnsupportedStackPointerUse, "unsupported stack register modification");
                }

                return null;

            case StackOpSource.And:
                if (op.DestinationReg != CfiRegisters.Sp
                    || (cfi.DrapReg != CfiRegisters.Undefined && cfa.Base != CfiRegisters.Sp)
                    || (cfi.DrapReg == CfiRegisters.Undefined && cfa.Base != CfiRegisters.Bp))
                {
                    return (ValidationRule.UnsupportedStackPointerUse, "unsupported stack pointer realignment");
                }

                if (cfi.DrapReg != CfiRegisters.Undefined)
                {
                    // and $mask, %rsp with a DRAP register: the CFA now follows that register.
                    cfi.Cfa = new CfiReg(cfi.DrapReg, 0);
                    cfi.StackSize = 0;
                    cfi.Drap = true;
                }

                return null;

            case StackOpSource.Pop:
            case StackOpSource.PopFlags:
                Pop(cfi, op);
                return null;

            case StackOpSource.RegisterIndirect:
                LoadFromMemory(cfi, op);
                return null;

            default:
                return (ValidationRule.UnsupportedStackPointerUse, "unknown stack-related instruction");
        }
    }

    private static void MoveRegister(CfiState cfi, in StackOp op)
    {
        var cfa = cfi.Cfa;
        var regs = cfi.Regs;
        if (op.SourceReg == CfiRegisters.Sp && op.DestinationReg == CfiRegisters.Bp && cfa.Base == CfiRegisters.Sp && IsAt(regs[CfiRegisters.Bp], -cfa.Offset))
        {
            // mov %rsp, %rbp right after push %rbp: the frame pointer now locates the CFA.
            cfi.Cfa = cfa with { Base = CfiRegisters.Bp };
            cfi.BpScratch = false;
        }
        else if (op.SourceReg == CfiRegisters.Sp && op.DestinationReg == CfiRegisters.Bp && cfi.Drap)
        {
            regs[CfiRegisters.Bp] = new CfiReg(CfiRegisters.Bp, -cfi.StackSize);
            cfi.BpScratch = false;
        }
        else if (op.SourceReg == CfiRegisters.Sp && cfa.Base == CfiRegisters.Sp)
        {
            // mov %rsp, %reg: remember it, in case it is moved back into %rsp.
            cfi.Vals[op.DestinationReg] = new CfiReg(CfiRegisters.Cfa, -cfi.StackSize);
        }
        else if (op.SourceReg == CfiRegisters.Bp && op.DestinationReg == CfiRegisters.Sp && (cfa.Base == CfiRegisters.Bp || cfa.Base == cfi.DrapReg))
        {
            // mov %rbp, %rsp (and the first half of leave): the stack is back at the saved %rbp.
            cfi.StackSize = -regs[CfiRegisters.Bp].Offset;
        }
        else if (op.DestinationReg == cfa.Base)
        {
            // mov %reg, %rsp while the CFA is %rsp-based.
            var val = cfi.Vals[op.SourceReg];
            if (cfa.Base == CfiRegisters.Sp && val.Base == CfiRegisters.Cfa)
            {
                cfi.Cfa = new CfiReg(CfiRegisters.Sp, -val.Offset);
                cfi.StackSize = -val.Offset;
            }
            else if (cfa.Base == CfiRegisters.Sp && val.Base == CfiRegisters.SpIndirect && val.Offset == cfa.Offset)
            {
                // A stack swizzle: the old %rsp is the word at the new stack's top.
                cfi.Cfa = cfa with { Base = CfiRegisters.SpIndirect };
            }
            else
            {
                cfi.Cfa = CfiReg.Undefined;
            }
        }
        else if (op.DestinationReg == CfiRegisters.Sp && cfi.Vals[op.SourceReg].Base == CfiRegisters.SpIndirect && cfi.Vals[op.SourceReg].Offset == cfa.Offset)
        {
            // The swizzle while the CFA is not %rsp-based: its final pop %rsp will look like a pop, so count a push.
            cfi.StackSize += 8;
        }
    }

    private static void Pop(CfiState cfi, in StackOp op)
    {
        var regs = cfi.Regs;
        if (op.DestinationReg == CfiRegisters.Sp && cfi.Cfa.Base == CfiRegisters.SpIndirect)
        {
            // pop %rsp: the end of a stack swizzle; the depth is the old stack's again.
            cfi.Cfa = cfi.Cfa with { Base = CfiRegisters.Sp };
            return;
        }

        if (!cfi.Drap && op.DestinationReg == cfi.Cfa.Base)
        {
            // pop %rbp while it locates the CFA.
            cfi.Cfa = cfi.Cfa with { Base = CfiRegisters.Sp };
        }

        if (cfi.Drap && cfi.Cfa.Base == CfiRegisters.BpIndirect && op.DestinationReg == cfi.DrapReg && cfi.DrapOffset == -cfi.StackSize)
        {
            cfi.Cfa = new CfiReg(cfi.DrapReg, 0);
            cfi.DrapOffset = -1;
        }
        else if (cfi.StackSize == -regs[op.DestinationReg].Offset)
        {
            // pop of the register saved at this depth: it is restored.
            Restore(cfi, op.DestinationReg);
        }

        cfi.StackSize -= 8;
        MoveSpCfa(cfi, -8);
    }

    private static void LoadFromMemory(CfiState cfi, in StackOp op)
    {
        var regs = cfi.Regs;
        if (!cfi.Drap && op.DestinationReg == cfi.Cfa.Base && op.DestinationReg == CfiRegisters.Bp)
        {
            // mov disp(%rsp), %rbp while %rbp locates the CFA.
            cfi.Cfa = new CfiReg(CfiRegisters.Sp, cfi.StackSize);
        }

        if (cfi.Drap && op.SourceReg == CfiRegisters.Bp && op.SourceOffset == cfi.DrapOffset)
        {
            cfi.Cfa = new CfiReg(cfi.DrapReg, 0);
            cfi.DrapOffset = -1;
        }

        var cfa = cfi.Cfa;
        if (cfi.Drap && op.SourceReg == CfiRegisters.Bp && op.SourceOffset == regs[op.DestinationReg].Offset)
        {
            Restore(cfi, op.DestinationReg);
        }
        else if (op.SourceReg == cfa.Base && op.SourceOffset == regs[op.DestinationReg].Offset + cfa.Offset)
        {
            Restore(cfi, op.DestinationReg);
        }
        else if (op.SourceReg == CfiRegisters.Sp && op.SourceOffset == regs[op.DestinationReg].Offset + cfi.StackSize)
        {
            Restore(cfi, op.DestinationReg);
        }
    }

    private static void Push(CfiState cfi, in StackOp op, bool inFunction, bool frameRules)
    {
        cfi.StackSize += 8;
        MoveSpCfa(cfi, 8);
        if (op.Source != StackOpSource.Register)
        {
            return;
        }

        if (cfi.Drap)
        {
            if (op.SourceReg == cfi.Cfa.Base && op.SourceReg == cfi.DrapReg)
            {
                // push %drap: the CFA is now found through the saved DRAP value.
                cfi.Cfa = new CfiReg(CfiRegisters.BpIndirect, -cfi.StackSize);
                cfi.DrapOffset = -cfi.StackSize;
            }
            else if (op.SourceReg == CfiRegisters.Bp && cfi.Cfa.Base == cfi.DrapReg)
            {
                cfi.StackSize = 0;
            }
            else
            {
                Save(cfi, op.SourceReg, CfiRegisters.Bp, -cfi.StackSize);
            }
        }
        else
        {
            Save(cfi, op.SourceReg, CfiRegisters.Cfa, -cfi.StackSize);
        }

        // push %rbp in a function that has no frame yet: %rbp may be used as a scratch register.
        if (frameRules && inFunction && op.SourceReg == CfiRegisters.Bp && cfi.Cfa.Base != CfiRegisters.Bp)
        {
            cfi.BpScratch = true;
        }
    }

    private static void ToMemory(CfiState cfi, in StackOp op)
    {
        if (cfi.Drap)
        {
            if (op.SourceReg == cfi.Cfa.Base && op.SourceReg == cfi.DrapReg)
            {
                cfi.Cfa = new CfiReg(CfiRegisters.BpIndirect, op.DestinationOffset);
                cfi.DrapOffset = op.DestinationOffset;
            }
            else
            {
                Save(cfi, op.SourceReg, CfiRegisters.Bp, op.DestinationOffset);
            }
        }
        else if (op.DestinationReg == cfi.Cfa.Base)
        {
            Save(cfi, op.SourceReg, CfiRegisters.Cfa, op.DestinationOffset - cfi.Cfa.Offset);
        }
        else if (op.DestinationReg == CfiRegisters.Sp)
        {
            Save(cfi, op.SourceReg, CfiRegisters.Cfa, op.DestinationOffset - cfi.StackSize);
        }
        else if (op.SourceReg == CfiRegisters.Sp && op.DestinationOffset == 0)
        {
            // mov %rsp, (%reg): the old stack pointer left at the top of another stack.
            cfi.Vals[op.DestinationReg] = new CfiReg(CfiRegisters.SpIndirect, cfi.Cfa.Offset);
        }
    }

    private static void MoveSpCfa(CfiState cfi, int delta)
    {
        if (cfi.Cfa.Base == CfiRegisters.Sp)
        {
            cfi.Cfa = cfi.Cfa with { Offset = cfi.Cfa.Offset + delta };
        }
    }

    private static bool IsAt(CfiReg reg, int offset) => reg.Base == CfiRegisters.Cfa && reg.Offset == offset;

    private static void Save(CfiState cfi, int reg, int baseReg, int offset)
    {
        if (CfiRegisters.IsCalleeSaved(reg) && cfi.Regs[reg].Base == CfiRegisters.Undefined)
        {
            cfi.Regs[reg] = new CfiReg(baseReg, offset);
        }
    }

    /// <summary>Back to what the register was at a function's entry: not saved.</summary>
    private static void Restore(CfiState cfi, int reg) => cfi.Regs[reg] = reg == CfiRegisters.Ra ? new CfiReg(CfiRegisters.Cfa, -8) : CfiReg.Undefined;
}
