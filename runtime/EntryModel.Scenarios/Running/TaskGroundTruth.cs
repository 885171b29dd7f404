using EntryModel.Machine.GroundTruth;
using EntryModel.Machine.Tasks;

namespace EntryModel.Scenarios.Running;

/// <summary>One task at the end of a run: whether it was running, the RSP saved in its task struct, and its live frames (innermost first).</summary>
public sealed record TaskGroundTruth(KernelTask Task, bool Running, ulong SavedRsp, IReadOnlyList<TrueFrame> Frames);
