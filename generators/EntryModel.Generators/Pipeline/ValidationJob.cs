using EntryModel.Generators.Model;
using EntryModel.Generators.Validation;

namespace EntryModel.Generators.Pipeline;

/// <summary>
/// The validation of one strategy's image to run: its unit (null when the strategy has no image to
/// validate), the hint findings planning already made (hints pointing outside kernel text), and
/// the message of an exception that stopped planning.
/// </summary>
internal sealed record ValidationJob(string ModelKey, int StrategyIndex, ValidationUnit? Unit, EquatableArray<ValidationFinding> Planned)
{
    public string? InternalError { get; init; }

    /// <summary>The strategy's name, so a crash validating it says which strategy it was.</summary>
    public string Strategy { get; init; } = string.Empty;
}
