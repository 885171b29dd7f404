using System.Collections.Generic;
using System.Collections.Immutable;
using EntryModel.Generators.Diagnostics;
using EntryModel.Generators.Model;
using EntryModel.Generators.Pipeline;

namespace EntryModel.Generators.Emit;

/// <summary>
/// Turns the diagnostics of all strategies of a model into Roslyn-ready ones. The same problem
/// found under every strategy is reported once; one found under some strategies only names them.
/// Internal errors are reported at the model class.
/// </summary>
internal static class StrategyDiagnostics
{
    public static EquatableArray<DiagnosticInfo> Collect(EmitInput input)
    {
        var model = input.Model.Model;
        var classLocation = input.Model.ClassLocation;
        var order = new List<AsmKey>();
        var strategiesOf = new Dictionary<AsmKey, List<string>>();
        var internalErrors = new List<string>();
        int assembled = 0;

        foreach (var outcome in input.Strategies)
        {
            if (outcome.InternalError is { } error)
            {
                if (!internalErrors.Contains(error))
                {
                    internalErrors.Add(error);
                }

                continue;
            }

            assembled++;
            var seen = new HashSet<AsmKey>();
            foreach (var diagnostic in outcome.SplitDiagnostics)
            {
                Add(diagnostic, outcome.Strategy.Name, seen, order, strategiesOf);
            }

            if (outcome.Result is { } result)
            {
                foreach (var diagnostic in result.Diagnostics)
                {
                    Add(diagnostic, outcome.Strategy.Name, seen, order, strategiesOf);
                }
            }
        }

        var diagnostics = ImmutableArray.CreateBuilder<DiagnosticInfo>();
        foreach (string error in internalErrors)
        {
            diagnostics.Add(new DiagnosticInfo(DiagnosticIds.InternalError, error, classLocation));
        }

        foreach (var key in order)
        {
            var strategies = strategiesOf[key];
            string message = strategies.Count == assembled ? key.Message : $"{key.Message} (frame strategy {string.Join(", ", strategies)})";
            var location = AsmDiagnosticLocator.Locate(model, key.DeclarationIndex, key.Offset, key.Length, classLocation);
            diagnostics.Add(new DiagnosticInfo(key.Id, message, location));
        }

        diagnostics.AddRange(ValidationDiagnostics.Collect(input));
        foreach (var validation in input.Validations)
        {
            if (validation.InternalError is { } error && !internalErrors.Contains(error))
            {
                internalErrors.Add(error);
                diagnostics.Add(new DiagnosticInfo(DiagnosticIds.InternalError, error, classLocation));
            }
        }

        return new EquatableArray<DiagnosticInfo>(diagnostics.ToImmutable());
    }

    private static void Add(AsmDiagnostic diagnostic, string strategy, HashSet<AsmKey> seen, List<AsmKey> order, Dictionary<AsmKey, List<string>> strategiesOf)
    {
        var key = new AsmKey(diagnostic.Id, diagnostic.Message, diagnostic.DeclarationIndex, diagnostic.Offset, diagnostic.Length);
        if (!seen.Add(key))
        {
            return;
        }

        if (!strategiesOf.TryGetValue(key, out var strategies))
        {
            strategies = [];
            strategiesOf.Add(key, strategies);
            order.Add(key);
        }

        strategies.Add(strategy);
    }

    private readonly record struct AsmKey(string Id, string Message, int DeclarationIndex, int Offset, int Length);
}
