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

        // One row where the state changes; false (with a finding) when ORC cannot express it.
        bool Add(ulong address, CfiState? cfi)
        {
            if (!TryRow(address, cfi, out var row, out string? problem))
            {
                findings.Add(new ValidationFinding(ValidationRule.UnsupportedStackPointerUse, address, problem!));
                return false;
            }

            if (row != previous with { Address = row.Address })
            {
                rows.Add(row);
                previous = row;
                runHasRows = true;
            }

            return true;
        }

        for (int i = 0; i < instructions.Count; i++)
        {
            var insn = instructions[i];
            if (insn.InReplacement)
            {
                // objtool writes no rows for .altinstr_replacement: patched code takes the original's.
                continue;
            }

            if (insn.GroupLength > 0)
            {
                // An alternative's original code: row by byte offset from the original and its replacements.
                var cfis = GroupCfi(code, i, out int last);
                for (int offset = 0; offset < cfis.Length; offset++)
                {
                    if (cfis[offset] is not { } cfi)
                    {
                        continue;
                    }

                    if (!Add(insn.Address + (ulong)offset, cfi))
                    {
                        return EquatableArray<OrcRow>.Empty;
                    }
                }

                i = last;
                insn = instructions[i];
            }
            else if (!Add(insn.Address, insn.Cfi))
            {
                return EquatableArray<OrcRow>.Empty;
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

    /// <summary>
    /// The state at each byte of an alternative's original code (from <paramref name="first"/>):
    /// what the original's instructions know, then what its replacements know at the same offset.
    /// </summary>
    private static CfiState?[] GroupCfi(KernelText code, int first, out int last)
    {
        var instructions = code.Instructions;
        var start = instructions[first];
        ulong end = start.Address + (ulong)start.GroupLength;
        last = first;
        for (int k = first + 1; k < instructions.Count && instructions[k].Address < end && code.Next(k - 1) == instructions[k]; k++)
        {
            last = k;
        }

        // The group is the original's whole instructions (objtool's alt_group_len): never past the text.
        var final = instructions[last];
        var cfis = new CfiState?[(int)(final.Address + (ulong)final.Length - start.Address)];
        for (int k = first; k <= last; k++)
        {
            cfis[instructions[k].Address - start.Address] ??= instructions[k].Cfi;
        }

        var (replacement, address, length) = start.Replacement;
        if (replacement >= 0)
        {
            ulong replacementEnd = address + (ulong)length;
            int lastOfReplacement = replacement;
            for (int k = replacement; k < instructions.Count && instructions[k].ReplacementEnd == replacementEnd && instructions[k].Address < replacementEnd; k++)
            {
                ulong offset = instructions[k].Address - address;
                if (offset < (ulong)cfis.Length)
                {
                    cfis[offset] ??= instructions[k].Cfi;
                }

                lastOfReplacement = k;
            }

            // A shorter replacement ends in objtool's fake NOP, which holds the state it leaves.
            if (length < cfis.Length)
            {
                cfis[length] ??= instructions[lastOfReplacement].EndCfi;
            }
        }

        return cfis;
    }

    private static bool TryRow(ulong address, CfiState? state, out OrcRow row, out string? problem)
    {
        problem = null;
        row = new OrcRow(address, OrcRegisters.Undefined, 0, OrcRegisters.Undefined, 0, 0, false);
        if (state is not { } cfi)
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

        row = new OrcRow(address, sp, cfi.Cfa.Offset, bpReg, bp.Offset, cfi.Type, cfi.End);
        return true;
    }
}
