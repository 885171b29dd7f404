namespace EntryModel.Analysis.Sweep;

/// <summary>
/// One sweep: a scenario of the default model (or any <see cref="Scenarios.Running.IScenario"/>)
/// under one strategy's image, the event injected, whether a second event (an NMI) goes at every
/// boundary of the first event's handler, the shard this process runs, and how many threads it uses
/// (results never depend on it).
/// </summary>
public sealed record SweepRequest(
    Scenarios.Running.IScenario Scenario,
    KernelImage Image,
    SweepEvent Event,
    bool Nested = false,
    SweepShard? Shard = null,
    int Threads = 0)
{
    public SweepShard ShardOrWhole => Shard ?? SweepShard.Whole;

    public int ThreadCount => Threads > 0 ? Threads : Environment.ProcessorCount;
}
