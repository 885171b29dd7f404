using EntryModel.Generators.Expansion;
using System.Collections;
using System.Collections.Generic;
using EntryModel.Generators.Model;
using EntryModel.Generators.Syntax;

namespace EntryModel.Generators.Encoding;

/// <summary>A declaration with its index in the model.</summary>
internal sealed record IndexedDeclaration(int Index, ParsedDeclaration Parsed);

/// <summary>
/// Exactly what one declaration's object depends on: the model's sections, its macro declarations,
/// the declaration itself, the strategy and the expansion limits. A value, so an edit elsewhere in the model leaves it
/// equal and the pipeline keeps the object it already has.
/// </summary>
internal sealed record ObjectInput(
    EquatableArray<SectionSource> Sections,
    int DeclarationCount,
    EquatableArray<IndexedDeclaration> Declarations,
    int Target,
    StrategySource Strategy,
    ExpansionLimits Limits)
{
    /// <summary>
    /// Whether this object reports the shared header's problems (the macro declarations' and the
    /// strategy's configuration symbols'): the macros' object does, for every object of its
    /// strategy; a lone file, which has no macros' object, does for itself.
    /// </summary>
    public bool ReportsHeader { get; init; } = Target == GasAssembler.MacrosOnly;

    public static ObjectInput Create(ModelSource model, IReadOnlyList<ParsedDeclaration> parsed, int target, StrategySource strategy, ExpansionLimits? limits = null)
    {
        var used = new List<IndexedDeclaration>();
        for (int d = 0; d < parsed.Count; d++)
        {
            if (d == target || parsed[d].Source.Kind == DeclarationKind.Macros)
            {
                used.Add(new IndexedDeclaration(d, parsed[d]));
            }
        }

        return new ObjectInput(model.Sections, parsed.Count, new EquatableArray<IndexedDeclaration>(used), target, strategy, limits ?? ExpansionLimits.Default);
    }

    /// <summary>The model's declarations as the assembler indexes them; the ones this object does not read are empty.</summary>
    public IReadOnlyList<ParsedDeclaration> View() => new SparseDeclarations(this);

    private sealed class SparseDeclarations : IReadOnlyList<ParsedDeclaration>
    {
        private static readonly ParsedDeclaration Absent = new(
            new SourceDeclaration(DeclarationKind.Code, string.Empty, 0, 0, 0, 1, ".text", 0, false, null, 0, false, 0, string.Empty, TextLocation.None),
            EquatableArray<GasStatement>.Empty,
            EquatableArray<AsmDiagnostic>.Empty);

        private readonly Dictionary<int, ParsedDeclaration> present = new Dictionary<int, ParsedDeclaration>();
        private readonly int count;

        public SparseDeclarations(ObjectInput input)
        {
            count = input.DeclarationCount;
            foreach (var d in input.Declarations)
            {
                present[d.Index] = d.Parsed;
            }
        }

        public int Count => count;

        public ParsedDeclaration this[int index] => present.TryGetValue(index, out var p) ? p : Absent;

        public IEnumerator<ParsedDeclaration> GetEnumerator()
        {
            for (int i = 0; i < count; i++)
            {
                yield return this[i];
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
