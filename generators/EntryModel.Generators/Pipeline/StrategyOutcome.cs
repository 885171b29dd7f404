using EntryModel.Generators.Model;

namespace EntryModel.Generators.Pipeline;

/// <summary>
/// The link of one strategy, or the message of the exception that stopped it, with what its
/// declarations' objects reported (each object its own, the macros' object first). The splitter's
/// problems are the model's, reported once beside the strategies (<see cref="SourceProblems"/>);
/// an outcome only says whether there were any, since they keep every strategy from an image.
/// </summary>
internal sealed record StrategyOutcome(
    string ModelKey,
    int StrategyIndex,
    StrategySource Strategy,
    AssemblyResult? Result,
    string? InternalError,
    EquatableArray<AsmDiagnostic> ObjectDiagnostics,
    bool SourceHasProblems = false)
{
    /// <summary>Whether an image may be emitted: linked, and nothing (splitter, objects or linker) reported.</summary>
    public bool Succeeded => InternalError is null && !SourceHasProblems && ObjectDiagnostics.Count == 0 && Result is { HasErrors: false };
}
