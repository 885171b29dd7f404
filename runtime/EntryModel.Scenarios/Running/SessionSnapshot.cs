using EntryModel.Machine.Execution;

namespace EntryModel.Scenarios.Running;

/// <summary>A scenario session at one instruction boundary: the machine, which triggers have fired (and at which boundary the last were handled), and how many stacks and log values it had.</summary>
public sealed record SessionSnapshot(MachineSnapshot Machine, bool[] Fired, int Stacks, int Logged, long ArrivedAt)
{
    /// <summary>Instructions retired when the snapshot was taken.</summary>
    public long Retired => Machine.Retired;
}
