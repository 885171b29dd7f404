using System.Collections.Generic;
using EntryModel.Generators.Model;

namespace EntryModel.Generators.Validation;

/// <summary>
/// The ORC rows of a validated section, as objtool's <c>orc_create</c> writes them: one row per
/// instruction whose state differs from the row before (instructions no path reached have an
/// undefined CFA), and a terminator at the section's end. A state ORC cannot express (a CFA or
/// %rbp relative to a register ORC has no code for) is a finding, and the section gets no rows.
/// </summary>
internal static class OrcRowBuilder
{
    public static EquatableArray<OrcRow> Build(KernelText code, List<ValidationFinding> findings)
    {
        var rows = new List<OrcRow>();
        var none = new OrcRow(0, OrcRegisters.Undefined, 0, OrcRegisters.Undefined, 0, HintTypes.Call, false);
        var previous = none;
        bool runHasRows = false;
        var instructions = code.Instructions;
        for (int i = 0; i < instructions.Count; i++)
        {
            var insn = instructions[i];
            if (!TryRow(insn, out var row, out string? problem))
            {
                findings.Add(new ValidationFinding(ValidationRule.UnsupportedStackPointerUse, insn.Address, problem!));
                return EquatableArray<OrcRow>.Empty;
            }

            if (row != previous with { Address = row.Address })
            {
                rows.Add(row);
                previous = row;
                runHasRows = true;
            }

            if (code.Next(i) is null && runHasRows)
            {
                // The end of a run of code: nothing is known past it (objtool ends each section so).
                previous = none with { Address = insn.Address + (ulong)insn.Length };
                rows.Add(previous);
                runHasRows = false;
            }
        }

        return new EquatableArray<OrcRow>(rows);
    }

    private static bool TryRow(CodeInstruction insn, out OrcRow row, out string? problem)
    {
        problem = null;
        row = new OrcRow(insn.Address, OrcRegisters.Undefined, 0, OrcRegisters.Undefined, 0, 0, false);
        if (insn.Cfi is not { } cfi)
        {
            return true;
        }

        if (cfi.Cfa.Base == CfiRegisters.Undefined)
        {
            row = row with { End = cfi.End };
            return true;
        }

        int sp = cfi.Cfa.Base switch
        {
            CfiRegisters.Sp => OrcRegisters.Sp,
            CfiRegisters.SpIndirect => OrcRegisters.SpIndirect,
            CfiRegisters.Bp => OrcRegisters.Bp,
            CfiRegisters.BpIndirect => OrcRegisters.BpIndirect,
            CfiRegisters.R10 => OrcRegisters.R10,
            CfiRegisters.R13 => OrcRegisters.R13,
            CfiRegisters.Di => OrcRegisters.Di,
            CfiRegisters.Dx => OrcRegisters.Dx,
            _ => -1,
        };
        if (sp < 0)
        {
            problem = $"unknown CFA base reg {cfi.Cfa.Base}";
            return false;
        }

        var bp = cfi.Regs[CfiRegisters.Bp];
        int bpReg = bp.Base switch
        {
            CfiRegisters.Undefined => OrcRegisters.Undefined,
            CfiRegisters.Cfa => OrcRegisters.PrevSp,
            CfiRegisters.Bp => OrcRegisters.Bp,
            _ => -1,
        };
        if (bpReg < 0)
        {
            problem = $"unknown BP base reg {bp.Base}";
            return false;
        }

        row = new OrcRow(insn.Address, sp, cfi.Cfa.Offset, bpReg, bp.Offset, cfi.Type, cfi.End);
        return true;
    }
}
