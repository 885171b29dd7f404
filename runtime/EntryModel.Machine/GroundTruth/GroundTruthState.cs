using EntryModel.Machine.Tasks;

namespace EntryModel.Machine.GroundTruth;

/// <summary>A copy of the recorder's chains, taken with a machine snapshot.</summary>
internal sealed record GroundTruthState(
    StackInfo? CurrentStack,
    StackInfo? CurrentOwner,
    TrueFrame[] Default,
    Dictionary<StackInfo, TrueFrame[]> Tasks);
