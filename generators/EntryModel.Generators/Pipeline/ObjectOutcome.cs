using EntryModel.Generators.Encoding;

namespace EntryModel.Generators.Pipeline;

/// <summary>A declaration's object under one strategy, or the message of the exception that stopped it.</summary>
internal sealed record ObjectOutcome(string ModelKey, int StrategyIndex, int Declaration, DeclarationObject? Object, string? InternalError);
