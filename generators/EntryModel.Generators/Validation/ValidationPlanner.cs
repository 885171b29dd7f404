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

    /// <summary>Whether a chunk with these runtime <c>SectionPermissions</c> bits is kernel text: executable, not user code.</summary>
    public static bool IsKernelText(int permissions) => (permissions & Executable) != 0 && (permissions & User) == 0;

    /// <summary>
    /// The validation job of <paramref name="result"/>, and in <paramref name="stray"/> what the
    /// hint records already tell: hints naming no kernel text, bytes that make no whole record.
    /// </summary>
    public static ValidationUnit Plan(string modelKey, int strategyIndex, AssemblyResult result, out List<ValidationFinding> stray)
    {
        var symbols = new EquatableArray<ValidationSymbol>(result.Symbols.Items
            .Select(s => new ValidationSymbol(s.Name, s.Address, s.Size, s.Kind == FunctionKind) { IsDeclaration = s.IsDeclaration })
            .OrderBy(s => s.Address)
            .ThenBy(s => s.Name, StringComparer.Ordinal));
        var chunks = result.Chunks.Items.Where(c => IsKernelText(c.Permissions)).OrderBy(c => c.Address).Select(c => new CodeChunk(c.Section, c.Address, c.Bytes)).ToList();
        var hints = new List<UnwindHint>();
        stray = [];
        var records = UnwindHintTable.Read(result.Discarded, out int strayBytes);
        foreach (var h in records)
        {
            if (chunks.Any(c => h.Address >= c.Address && h.Address < c.End))
            {
                hints.Add(h);
            }
            else
            {
                stray.Add(new ValidationFinding(ValidationRule.BadHint, h.Address, $"unwind hint names 0x{h.Address:x}, which is in no kernel text section"));
            }
        }

        if (strayBytes > 0)
        {
            stray.Add(new ValidationFinding(ValidationRule.BadHint, 0, $"struct unwind_hint size mismatch: {strayBytes} bytes of {UnwindHintTable.Section} make no whole record"));
        }

        return new ValidationUnit(
            modelKey,
            strategyIndex,
            new EquatableArray<CodeChunk>(chunks),
            symbols,
            new EquatableArray<UnwindHint>(hints),
            result.Defines.Contains(FramePointerDefine),
            WantsOrc(result))
        {
            IntraFunctionCalls = new EquatableArray<ulong>(AnnotationTables.IntraFunctionCallsOf(result.Discarded, chunks)),
            IgnoredFunctions = new EquatableArray<ulong>(AnnotationTables.NonStandardFramesOf(result.Discarded)),
            Alternatives = new EquatableArray<AlternativeEntry>(AnnotationTables.AlternativesOf(result.Chunks, chunks)),
        };
    }
}
