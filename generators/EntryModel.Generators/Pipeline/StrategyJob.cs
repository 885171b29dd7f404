using EntryModel.Generators.Model;

namespace EntryModel.Generators.Pipeline;

/// <summary>One strategy of one model to link, with its declarations' objects.</summary>
internal sealed record StrategyJob(AssemblyInput Input, int StrategyIndex, EquatableArray<ObjectOutcome> Objects);
