using EntryModel.Generators.Diagnostics;
using EntryModel.Generators.Model;

namespace EntryModel.Generators.Pipeline;

/// <summary>The generated source of one model (null when none could be written) and what to report.</summary>
internal sealed record GeneratedModel(string HintName, string? Source, EquatableArray<DiagnosticInfo> Diagnostics);
