using System.Collections.Generic;

namespace EntryModel.Generators.Emit;

/// <summary>
/// Findings of several frame strategies, as one report each: a strategy is a configuration of the
/// same text, so a problem its assembly shares with other strategies is one problem to fix, reported
/// once with the strategies that have it. Each stage reports a finding once per strategy; this is
/// where the strategies meet, in the order findings were first met.
/// </summary>
internal sealed class StrategyFindings<TFinding>
    where TFinding : notnull
{
    private readonly List<TFinding> order = new List<TFinding>();
    private readonly Dictionary<TFinding, List<string>> strategiesOf = new Dictionary<TFinding, List<string>>();

    public void Add(TFinding finding, string strategy)
    {
        if (!strategiesOf.TryGetValue(finding, out var strategies))
        {
            strategies = new List<string>();
            strategiesOf.Add(finding, strategies);
            order.Add(finding);
        }

        strategies.Add(strategy);
    }

    /// <summary>Each finding with the strategies that found it.</summary>
    public IEnumerable<(TFinding Finding, IReadOnlyList<string> Strategies)> All()
    {
        foreach (var finding in order)
        {
            yield return (finding, strategiesOf[finding]);
        }
    }
}
