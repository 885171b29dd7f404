namespace EntryModel.Oracles.Tests.Differential.Generation;

/// <summary>
/// One row of the generator's table: a named instruction shape (e.g. "adc r/m32, imm8") that knows how to
/// add a random, user-mode-safe instance of itself to a sequence, or declines when the sequence's
/// constraints (reserved registers, stack depth, undefined flags) rule it out this time.
/// </summary>
public sealed record InstructionForm(string Name, Func<SequenceBuilder, bool> TryEmit)
{
    public override string ToString() => Name;
}
