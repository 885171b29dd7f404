using System;
using System.Collections.Generic;
using System.Linq;
using EntryModel.Generators.Model;

namespace EntryModel.Generators.Validation;

/// <summary>
/// Makes the validation job of one strategy's linked image: its kernel text (every executable
/// section that is not user code), symbols and hints. The strategy's defines say which checks
/// apply, as kbuild's configuration picks objtool's flags: frame-pointer rules with
/// <c>CONFIG_FRAME_POINTER</c>, ORC rows with <c>CONFIG_UNWINDER_ORC</c>.
/// </summary>
internal static class ValidationPlanner
{
    public const string FramePointerDefine = "CONFIG_FRAME_POINTER";
    public const string OrcDefine = "CONFIG_UNWINDER_ORC";

    private const int Executable = 2;
    private const int User = 4;
    private const int FunctionKind = 0;

    public static bool WantsOrc(AssemblyResult result) => result.Defines.Contains(OrcDefine);

    public static ValidationUnit Plan(string modelKey, int strategyIndex, AssemblyResult result)
    {
        var symbols = new EquatableArray<ValidationSymbol>(result.Symbols.Items
            .Select(s => new ValidationSymbol(s.Name, s.Address, s.Size, s.Kind == FunctionKind))
            .OrderBy(s => s.Address)
            .ThenBy(s => s.Name, StringComparer.Ordinal));
        var chunks = KernelTextOf(result).Select(c => new CodeChunk(c.Section, c.Address, c.Bytes)).ToList();
        var hints = UnwindHintTable.Read(result.Discarded, out _).Where(h => chunks.Any(c => h.Address >= c.Address && h.Address < c.End));
        return new ValidationUnit(
            modelKey,
            strategyIndex,
            new EquatableArray<CodeChunk>(chunks),
            symbols,
            new EquatableArray<UnwindHint>(hints),
            result.Defines.Contains(FramePointerDefine),
            WantsOrc(result));
    }

    private static IEnumerable<AssembledChunk> KernelTextOf(AssemblyResult result) =>
        result.Chunks.Items.Where(c => (c.Permissions & Executable) != 0 && (c.Permissions & User) == 0).OrderBy(c => c.Address);

    /// <summary>Hints whose instruction lies in no kernel text section: each is a finding of its own.</summary>
    public static IEnumerable<ValidationFinding> StrayHints(AssemblyResult result)
    {
        var hints = UnwindHintTable.Read(result.Discarded, out int stray);
        var text = KernelTextOf(result).ToList();
        foreach (var h in hints)
        {
            if (!text.Any(c => h.Address >= c.Address && h.Address < c.Address + (ulong)c.Bytes.Count))
            {
                yield return new ValidationFinding(ValidationRule.BadHint, h.Address, $"unwind hint names 0x{h.Address:x}, which is in no kernel text section");
            }
        }

        if (stray > 0)
        {
            yield return new ValidationFinding(ValidationRule.BadHint, 0, $"struct unwind_hint size mismatch: {stray} bytes of {UnwindHintTable.Section} make no whole record");
        }
    }
}
