namespace EntryModel.Machine.Execution;

/// <summary>An injected external interrupt: its vector and the retired-instruction count from which it is due.</summary>
public readonly record struct PendingInterrupt(int Vector, long Due);
