using System.Collections.Generic;
using System.Linq;
using EntryModel.Generators.Model;
using EntryModel.Generators.Syntax;

namespace EntryModel.Generators.Encoding;

/// <summary>
/// What the linker finds wrong with references (a fixup's symbol undefined, its value too wide for
/// its field), one finding per place in the text. A statement that <c>.rept</c> or a macro repeats,
/// or a macro body that several declarations expand, gives many fixups but is one place to fix: it
/// is reported once, naming the declarations whose objects reference through it.
/// </summary>
internal sealed class ReferenceFindings
{
    private readonly List<Finding> order = new List<Finding>();
    private readonly Dictionary<Place, Finding> byPlace = new Dictionary<Place, Finding>();

    /// <summary>
    /// Records that the object of declaration <paramref name="referencing"/> has a fixup at
    /// <paramref name="fixup"/>'s place that fails with <paramref name="message"/>. A finding that
    /// <paramref name="namesReferences"/> always says which declarations reference; others only
    /// when that is not plain from the place (a macro body, or several declarations).
    /// </summary>
    public void Add(string id, string message, ObjectFixup fixup, int referencing, bool namesReferences)
    {
        var place = new Place(id, message, fixup.SourceDeclaration, fixup.SourceOffset, fixup.SourceLength);
        if (!byPlace.TryGetValue(place, out var finding))
        {
            finding = new Finding(place, namesReferences);
            byPlace.Add(place, finding);
            order.Add(finding);
        }

        if (!finding.Referencing.Contains(referencing))
        {
            finding.Referencing.Add(referencing);
        }
    }

    /// <summary>The findings in the order they were first met, each as one diagnostic.</summary>
    public IEnumerable<AsmDiagnostic> Diagnostics(IReadOnlyList<ParsedDeclaration> parsed)
    {
        foreach (var finding in order)
        {
            var p = finding.Place;
            bool plain = finding.Referencing.Count == 1 && finding.Referencing[0] == p.Declaration;
            string message = finding.NamesReferences || !plain
                ? $"{p.Message}, referenced by {Names(parsed, finding.Referencing)}"
                : p.Message;
            yield return new AsmDiagnostic(p.Id, message, p.Declaration, p.Offset, p.Length);
        }
    }

    /// <summary>'a', 'a' and 'b', or 'a', 'b' and 'c'.</summary>
    private static string Names(IReadOnlyList<ParsedDeclaration> parsed, List<int> declarations)
    {
        var names = declarations.Select(d => "'" + DeclarationName(parsed, d) + "'").ToList();
        return names.Count == 1 ? names[0] : string.Join(", ", names.Take(names.Count - 1)) + " and " + names[names.Count - 1];
    }

    /// <summary>A declaration's name; a lone file's, which has none, is the file.</summary>
    private static string DeclarationName(IReadOnlyList<ParsedDeclaration> parsed, int d)
    {
        if (d < 0 || d >= parsed.Count)
        {
            return "?";
        }

        var source = parsed[d].Source;
        return source.Name.Length > 0 ? source.Name : source.GasFile ?? "the file";
    }

    private readonly record struct Place(string Id, string Message, int Declaration, int Offset, int Length);

    private sealed class Finding
    {
        public Finding(Place place, bool namesReferences)
        {
            Place = place;
            NamesReferences = namesReferences;
        }

        public Place Place { get; }

        public bool NamesReferences { get; }

        public List<int> Referencing { get; } = new List<int>();
    }
}
