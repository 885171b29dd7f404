using EntryModel.Machine.Execution;

namespace EntryModel.Scenarios.Running;

/// <summary>
/// A named event run on a freshly booted kernel image; the policy of what to start and what to check
/// lives here, not in the machine. A scenario is prepared (booted, set up, its own events armed as
/// triggers), run by its session, then concluded from wherever the run stopped; the interrupt sweep
/// restores prepared sessions to every instruction boundary and resumes them the same way.
/// </summary>
public interface IScenario
{
    /// <summary>The name commands and tests use, e.g. <c>read-page-fault</c>.</summary>
    string Name { get; }

    string Description { get; }

    /// <summary>A session booted on <paramref name="image"/>, ready for <see cref="ScenarioSession.Run"/>.</summary>
    ScenarioSession Prepare(KernelImage image);

    /// <summary>What the run of <paramref name="session"/>, stopped by <paramref name="finish"/>, came to.</summary>
    ScenarioResult Conclude(ScenarioSession session, StopReason finish);
}

/// <summary>Running a scenario from start to end.</summary>
public static class ScenarioRunning
{
    /// <summary>Prepares <paramref name="scenario"/> on <paramref name="image"/>, runs it to its end and concludes.</summary>
    public static ScenarioResult Run(this IScenario scenario, KernelImage image)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var session = scenario.Prepare(image);
        return scenario.Conclude(session, session.Run());
    }
}
