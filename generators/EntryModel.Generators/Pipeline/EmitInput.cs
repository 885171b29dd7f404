using EntryModel.Generators.Model;

namespace EntryModel.Generators.Pipeline;

/// <summary>A model with its text locations and the outcome of every strategy, in declaration order.</summary>
internal sealed record EmitInput(ModelInput Model, EquatableArray<StrategyOutcome> Strategies);
