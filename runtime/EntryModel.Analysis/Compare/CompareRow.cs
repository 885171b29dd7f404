using EntryModel.Analysis.Cost;
using EntryModel.Analysis.Sweep;

namespace EntryModel.Analysis.Compare;

/// <summary>
/// One strategy with one of its unwinders: what the strategy costs, what a walk costs per frame,
/// the sweep's classes summed over every scenario and event, the NMI samples it misattributes, and
/// whether it gives the seed thread's ideal trace.
/// </summary>
public sealed record CompareRow(
    StrategyCost Cost,
    string Unwinder,
    bool Own,
    double UnwindNsPerFrame,
    UnwinderTally Sweep,
    long NotTransparent,
    long ProfileSamples,
    long Misattributed,
    bool SeedIdeal)
{
    public string Strategy => Cost.Strategy;

    public double MisattributedPercent => ProfileSamples == 0 ? double.NaN : 100.0 * Misattributed / ProfileSamples;

    public double ExactPercent => Sweep.Samples == 0 ? double.NaN : 100.0 * Sweep.Exact / Sweep.Samples;
}
