using EntryModel.Generators.Model;

namespace EntryModel.Generators.Pipeline;

/// <summary>The additional files declarations may name, and the project directory relative paths start from.</summary>
internal sealed record GasFileSet(EquatableArray<GasSourceFile> Files, string? ProjectDirectory);
