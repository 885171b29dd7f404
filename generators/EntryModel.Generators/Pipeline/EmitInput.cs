using EntryModel.Generators.Model;
using EntryModel.Generators.Validation;

namespace EntryModel.Generators.Pipeline;

/// <summary>
/// A model with its text locations, what splitting its declarations found (null: nothing), the
/// outcome of every strategy, and each strategy's validation (an empty one where it had no image
/// to validate), in declaration order. Each stage's findings are here once: the emitter reports them.
/// </summary>
internal sealed record EmitInput(ModelInput Model, EquatableArray<StrategyOutcome> Strategies, EquatableArray<TextValidation> Validations = default, SourceProblems? Source = null);
