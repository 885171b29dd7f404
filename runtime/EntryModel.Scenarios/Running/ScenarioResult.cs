using EntryModel.Machine.Execution;

namespace EntryModel.Scenarios.Running;

/// <summary>
/// What a scenario run produced: why the machine stopped, the exit code when the guest powered off,
/// the user-visible outcome and whether it is the one the scenario expects, the stacks captured on
/// the way, each task's ground truth at the end, the values the guest logged, and the session
/// (machine and loaded kernel) for further inspection.
/// </summary>
public sealed record ScenarioResult(
    string Scenario,
    string Strategy,
    StopReason Stop,
    ulong? ExitCode,
    string Outcome,
    bool OutcomeAsExpected,
    IReadOnlyList<StackCapture> Stacks,
    IReadOnlyList<TaskGroundTruth> Tasks,
    IReadOnlyList<ulong> Logged,
    ScenarioSession Session)
{
    /// <summary>Instructions the machine retired during the run.</summary>
    public long Instructions => Stop.Instructions;
}
