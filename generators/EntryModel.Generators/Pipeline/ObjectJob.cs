using EntryModel.Generators.Encoding;

namespace EntryModel.Generators.Pipeline;

/// <summary>
/// One declaration of one model to assemble under one strategy. Holds only what the object depends
/// on (<see cref="ObjectInput"/>), so it compares equal across edits of other declarations.
/// </summary>
internal sealed record ObjectJob(string ModelKey, int StrategyIndex, ObjectInput Input);
