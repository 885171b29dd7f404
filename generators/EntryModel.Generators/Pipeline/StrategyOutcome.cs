using EntryModel.Generators.Model;

namespace EntryModel.Generators.Pipeline;

/// <summary>
/// The assembly of one strategy, or the message of the exception that stopped it, with the
/// splitter's diagnostics of the model (reported once, whether or not the assembler repeats them).
/// </summary>
internal sealed record StrategyOutcome(
    string ModelKey,
    int StrategyIndex,
    StrategySource Strategy,
    AssemblyResult? Result,
    string? InternalError,
    EquatableArray<AsmDiagnostic> SplitDiagnostics)
{
    /// <summary>Whether an image may be emitted: assembled, and nothing (splitter or assembler) reported.</summary>
    public bool Succeeded => InternalError is null && Result is { HasErrors: false } && SplitDiagnostics.Count == 0;
}
