using System.Collections.Generic;
using EntryModel.Generators.Diagnostics;
using EntryModel.Generators.Model;
using EntryModel.Generators.Pipeline;
using EntryModel.Generators.Validation;
using Microsoft.CodeAnalysis;

namespace EntryModel.Generators.Emit;

/// <summary>
/// Turns each strategy's validation findings into diagnostics: the id of the rule, objtool's text
/// with the place (<c>function+0xoffset</c>) and the strategy, located at the offending
/// instruction's statement in the declaration (through the line map), at the severity the strategy
/// asks for. A finding the same under several strategies is reported once, naming them.
/// </summary>
internal static class ValidationDiagnostics
{
    public static string IdOf(ValidationRule rule) => rule switch
    {
        ValidationRule.CallWithoutFrame => DiagnosticIds.CallWithoutFrame,
        ValidationRule.ReturnWithModifiedFrame => DiagnosticIds.ReturnWithModifiedFrame,
        ValidationRule.StackStateMismatch => DiagnosticIds.StackStateMismatch,
        ValidationRule.FramePointerMismatch => DiagnosticIds.FramePointerMismatch,
        ValidationRule.UnreachableInstruction => DiagnosticIds.UnreachableInstruction,
        ValidationRule.UndefinedStackState => DiagnosticIds.UndefinedStackState,
        ValidationRule.UnsupportedStackPointerUse => DiagnosticIds.UnsupportedStackPointerUse,
        ValidationRule.MissingHint => DiagnosticIds.MissingHint,
        ValidationRule.FallsThrough => DiagnosticIds.FallsThrough,
        ValidationRule.SiblingCallWithModifiedFrame => DiagnosticIds.SiblingCallWithModifiedFrame,
        ValidationRule.BpScratch => DiagnosticIds.BpScratch,
        ValidationRule.EndOfSection => DiagnosticIds.EndOfSection,
        ValidationRule.DirectionFlag => DiagnosticIds.DirectionFlag,
        ValidationRule.BadHint => DiagnosticIds.BadHint,
        _ => DiagnosticIds.BadDestination,
    };

    public static IEnumerable<DiagnosticInfo> Collect(EmitInput input)
    {
        var model = input.Model.Model;
        var findings = new StrategyFindings<Key>();
        for (int s = 0; s < input.Strategies.Count && s < input.Validations.Count; s++)
        {
            var outcome = input.Strategies[s];
            var validation = input.Validations[s];
            if (outcome.Result is not { } result)
            {
                continue;
            }

            var severity = SeverityOf(outcome.Strategy.ValidationSeverity);
            var lines = new LineIndex(result.Lines);
            foreach (var finding in validation.Findings)
            {
                var line = lines.At(finding.Address);
                string place = Place(result, finding.Address);
                var key = new Key(
                    IdOf(finding.Rule),
                    place.Length > 0 ? $"{place}: {finding.Message}" : finding.Message,
                    line?.DeclarationIndex ?? -1,
                    line?.SourceOffset ?? 0,
                    line?.SourceLength ?? 0,
                    severity);
                findings.Add(key, outcome.Strategy.Name);
            }
        }

        foreach (var (key, strategies) in findings.All())
        {
            string message = $"{key.Message} (stack validation, frame strategy {string.Join(", ", strategies)})";
            var location = AsmDiagnosticLocator.Locate(model, key.DeclarationIndex, key.Offset, key.Length, input.Model.ClassLocation);
            yield return new DiagnosticInfo(key.Id, message, location, key.Severity);
        }
    }

    /// <summary>The function (or other symbol) holding the address and the offset in it, as objtool names places.</summary>
    public static string Place(AssemblyResult result, ulong address)
    {
        AssembledSymbol? best = null;
        foreach (var s in result.Symbols)
        {
            bool within = address >= s.Address && (address < s.Address + s.Size || (s.Size == 0 && address == s.Address));
            if (within && (best is null || s.Address > best.Address || (s.Address == best.Address && s.Kind == 0)))
            {
                best = s;
            }
        }

        return best is null ? (address == 0 ? string.Empty : $"0x{address:x}") : $"{best.Name}+0x{address - best.Address:x}";
    }

    private static DiagnosticSeverity SeverityOf(int validation) => validation switch
    {
        1 => DiagnosticSeverity.Error,
        2 => DiagnosticSeverity.Hidden,
        _ => DiagnosticSeverity.Warning,
    };

    private readonly record struct Key(string Id, string Message, int DeclarationIndex, int Offset, int Length, DiagnosticSeverity Severity);

    /// <summary>The line map sorted by address, searched by binary search.</summary>
    private sealed class LineIndex
    {
        private readonly EquatableArray<AssembledLine> lines;

        public LineIndex(EquatableArray<AssembledLine> lines)
        {
            this.lines = lines;
        }

        public AssembledLine? At(ulong address)
        {
            int found = Sorted.LastAtOrBelow(lines, address, static l => l.Address);
            if (found < 0)
            {
                return null;
            }

            var line = lines[found];
            return address < line.Address + (ulong)line.Length ? line : null;
        }
    }
}
