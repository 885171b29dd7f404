using EntryModel.Generators.Model;
using EntryModel.Generators.Validation;

namespace EntryModel.Generators.Pipeline;

/// <summary>
/// A model with its text locations, the outcome of every strategy, and each strategy's validation
/// (an empty one where it had no image to validate), in declaration order.
/// </summary>
internal sealed record EmitInput(ModelInput Model, EquatableArray<StrategyOutcome> Strategies, EquatableArray<TextValidation> Validations = default);
