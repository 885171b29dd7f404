namespace EntryModel.Analysis.Cost;

/// <summary>
/// A strategy's cost, from its image and the machine: the bytes of its entry code (the executable
/// .entry* chunks), the bytes of the tables its unwinders read (ORC, the entry-regs table), and each
/// measured event path.
/// </summary>
public sealed record StrategyCost(string Strategy, long EntryCodeBytes, long UnwindTableBytes, IReadOnlyList<EventPathCost> Paths)
{
    public EventPathCost Path(string name) => Paths.Single(p => p.Event == name);
}
