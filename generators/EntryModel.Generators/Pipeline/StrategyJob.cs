namespace EntryModel.Generators.Pipeline;

/// <summary>One strategy of one model to assemble.</summary>
internal sealed record StrategyJob(AssemblyInput Input, int StrategyIndex);
