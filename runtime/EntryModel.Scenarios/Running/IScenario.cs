namespace EntryModel.Scenarios.Running;

/// <summary>A named event run on a freshly booted kernel image; the policy of what to start and what to check lives here, not in the machine.</summary>
public interface IScenario
{
    /// <summary>The name commands and tests use, e.g. <c>read-page-fault</c>.</summary>
    string Name { get; }

    string Description { get; }

    ScenarioResult Run(KernelImage image);
}
