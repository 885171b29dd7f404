using System.Collections.Immutable;
using EntryModel.Generators.Diagnostics;
using EntryModel.Generators.Model;
using EntryModel.Generators.Pipeline;

namespace EntryModel.Generators.Emit;

/// <summary>
/// Turns each stage's findings for a model into Roslyn diagnostics, each stage's once: the
/// splitter's once per model (they do not depend on the strategy); the objects' and the linker's
/// per strategy, a finding of several strategies reported once naming them unless all have it;
/// validation's through <see cref="ValidationDiagnostics"/>. No stage repeats another's findings,
/// so nothing here has to be dropped as a repeat. Internal errors are reported at the model class.
/// </summary>
internal static class StageDiagnostics
{
    public static EquatableArray<DiagnosticInfo> Collect(EmitInput input)
    {
        var model = input.Model.Model;
        var classLocation = input.Model.ClassLocation;
        var diagnostics = ImmutableArray.CreateBuilder<DiagnosticInfo>();
        if (input.Source is { } source)
        {
            foreach (string error in source.InternalErrors)
            {
                diagnostics.Add(new DiagnosticInfo(DiagnosticIds.InternalError, error, classLocation));
            }

            foreach (var diagnostic in source.Diagnostics)
            {
                diagnostics.Add(Located(model, diagnostic, diagnostic.Message, classLocation));
            }
        }

        var findings = new StrategyFindings<AsmDiagnostic>();
        int assembled = 0;
        foreach (var outcome in input.Strategies)
        {
            // An internal error names its strategy (or step): each is its own failure.
            if (outcome.InternalError is { } error)
            {
                diagnostics.Add(new DiagnosticInfo(DiagnosticIds.InternalError, error, classLocation));
                continue;
            }

            if (outcome.Result is not { } result)
            {
                continue;
            }

            assembled++;
            foreach (var diagnostic in outcome.ObjectDiagnostics)
            {
                findings.Add(diagnostic, outcome.Strategy.Name);
            }

            foreach (var diagnostic in result.Diagnostics)
            {
                findings.Add(diagnostic, outcome.Strategy.Name);
            }
        }

        foreach (var (diagnostic, strategies) in findings.All())
        {
            string message = strategies.Count == assembled ? diagnostic.Message : $"{diagnostic.Message} (frame strategy {string.Join(", ", strategies)})";
            diagnostics.Add(Located(model, diagnostic, message, classLocation));
        }

        diagnostics.AddRange(ValidationDiagnostics.Collect(input));
        foreach (var validation in input.Validations)
        {
            if (validation.InternalError is { } error)
            {
                diagnostics.Add(new DiagnosticInfo(DiagnosticIds.InternalError, error, classLocation));
            }
        }

        return new EquatableArray<DiagnosticInfo>(diagnostics.ToImmutable());
    }

    private static DiagnosticInfo Located(ModelSource model, AsmDiagnostic diagnostic, string message, LocationInfo? classLocation) =>
        new(diagnostic.Id, message, AsmDiagnosticLocator.Locate(model, diagnostic.DeclarationIndex, diagnostic.Offset, diagnostic.Length, classLocation));
}
