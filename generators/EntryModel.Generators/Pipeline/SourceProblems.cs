using System.Collections.Immutable;
using EntryModel.Generators.Model;

namespace EntryModel.Generators.Pipeline;

/// <summary>
/// What reading and splitting a model's declarations found: the same under every strategy, so it
/// is reported once per model, not once per strategy. <see cref="InternalErrors"/> are splitter crashes.
/// </summary>
internal sealed record SourceProblems(string ModelKey, EquatableArray<AsmDiagnostic> Diagnostics, EquatableArray<string> InternalErrors)
{
    public bool Any => Diagnostics.Count > 0 || InternalErrors.Count > 0;

    public static SourceProblems None(string modelKey) => new(modelKey, EquatableArray<AsmDiagnostic>.Empty, EquatableArray<string>.Empty);

    /// <summary>The split declarations' diagnostics (already stamped with their index), in declaration order.</summary>
    public static SourceProblems Of(AssemblyInput input)
    {
        var diagnostics = ImmutableArray.CreateBuilder<AsmDiagnostic>();
        foreach (var parsed in input.Parsed)
        {
            diagnostics.AddRange(parsed.Diagnostics.Items);
        }

        return new SourceProblems(input.ModelKey, new EquatableArray<AsmDiagnostic>(diagnostics.ToImmutable()), input.SplitErrors);
    }
}
