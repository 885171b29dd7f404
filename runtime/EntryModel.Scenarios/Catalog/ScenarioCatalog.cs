using EntryModel.Scenarios.Library;
using EntryModel.Scenarios.Running;

namespace EntryModel.Scenarios.Catalog;

/// <summary>The scenarios the default model can run, by name.</summary>
public static class ScenarioCatalog
{
    public static IReadOnlyList<IScenario> All { get; } = [new ReadPageFaultScenario(), new PreemptedTaskScenario(), new NmiInIrqScenario()];

    public static IReadOnlyList<string> Names { get; } = [.. All.Select(s => s.Name)];

    public static bool TryGet(string name, out IScenario scenario)
    {
        scenario = All.FirstOrDefault(s => s.Name == name)!;
        return scenario is not null;
    }
}
