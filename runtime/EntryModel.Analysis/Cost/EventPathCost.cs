namespace EntryModel.Analysis.Cost;

/// <summary>
/// What one event costs on its way in and out under a strategy, measured on the machine:
/// instructions from the first instruction of the entry (stub or syscall entry) to the handler's
/// first, the stack that path uses on top of what the CPU pushed, and the instructions from the
/// handler's return to the IRETQ or SYSRETQ (included).
/// </summary>
public sealed record EventPathCost(string Event, long EntryInstructions, long EntryStackBytes, long ExitInstructions);
