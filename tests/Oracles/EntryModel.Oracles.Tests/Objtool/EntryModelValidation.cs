using System.Globalization;
using EntryModel.Generators.Encoding;
using EntryModel.Generators.Validation;
using Finding = EntryModel.Generators.Validation.ValidationFinding;

namespace EntryModel.Oracles.Tests.Objtool;

/// <summary>
/// EntryModel's own validation of a GAS source, reported the way objtool reports an object: the
/// source is assembled by the generator's assembler at <see cref="TextAddress"/>, validated per
/// section with the same flags (frame-pointer rules, or ORC), and each finding is placed as objtool
/// places it (the function containing it, else a sized symbol containing it, else the section).
/// EntryModel reports the first unreachable instruction of every function and entry region;
/// objtool reports only the first of the file, and only when nothing else was found, so
/// <see cref="AsObjtoolWould"/> keeps just that one for the comparison.
/// </summary>
internal static class EntryModelValidation
{
    public const ulong TextAddress = 0xffffffff81000000UL;

    public static ObjtoolReport Check(string source, bool orc)
    {
        var assembled = GasAssembler.AssembleText(source, TextAddress, orc ? "orc" : "frame-pointer", orc ? ValidationPlanner.OrcDefine : ValidationPlanner.FramePointerDefine);
        Assert.That(assembled.Diagnostics, Is.Empty, "the generator assembles the case: " + string.Join("; ", assembled.Diagnostics.Select(d => d.Message)));

        // The test declaration's own name is not a symbol of the .s file.
        var result = assembled with { Symbols = new(assembled.Symbols.Items.Where(s => s.Name != "text")) };
        var sectionStart = result.Chunks.Items.GroupBy(c => c.Section).ToDictionary(g => g.Key, g => g.Min(c => c.Address));
        // Only functions carry a .size in the corpus; GNU as gives other labels none, so objtool falls back to section+offset.
        var symbols = result.Symbols.Items.Where(s => s.Size > 0 && s.Kind == (int)SymbolKind.Function).ToList();
        var findings = new List<(Finding Finding, string Section)>();
        var rows = new List<ObjtoolOrcRow>();
        var unit = ValidationPlanner.Plan("oracle", 0, result, out var stray);
        string SectionOf(ulong address) => unit.Chunks.Items.Last(c => c.Address <= address).Section;
        var validation = FrameValidator.Validate(unit);
        findings.AddRange(stray.Select(f => (f, string.Empty)));
        findings.AddRange(validation.Findings.Select(f => (f, SectionOf(f.Address))));
        foreach (var row in validation.Orc)
        {
            var entry = new OrcEntry((short)row.SpOffset, (short)row.BpOffset, (OrcRegister)row.SpReg, (OrcRegister)row.BpReg, (OrcType)row.Type, row.End);
            // A run's terminator sits just past its last byte: it belongs to the section before it.
            string section = unit.Chunks.Items.Any(c => row.Address >= c.Address && row.Address < c.End) ? SectionOf(row.Address) : SectionOf(row.Address - 1);
            rows.Add(new ObjtoolOrcRow(section, (long)(row.Address - sectionStart[section]), entry.ToString()));
        }

        var warnings = AsObjtoolWould(findings).Select(f => Place(f.Finding, f.Section, sectionStart, symbols)).ToList();
        return new ObjtoolReport(warnings, rows, []);
    }

    private static IEnumerable<(Finding Finding, string Section)> AsObjtoolWould(List<(Finding Finding, string Section)> findings)
    {
        static bool Unreachable(Finding f) => f.Message == "unreachable instruction";
        var others = findings.Where(f => !Unreachable(f.Finding)).ToList();
        return others.Count > 0 ? others : findings.Take(1);
    }

    /// <summary>Where objtool's message would say the finding is: <c>func+0xoff</c>, <c>section+0xoff</c>, or nowhere.</summary>
    private static ObjtoolWarning Place(Finding f, string section, Dictionary<string, ulong> sectionStart, List<Generators.Model.AssembledSymbol> symbols)
    {
        bool unplaced = f.Rule is ValidationRule.FallsThrough or ValidationRule.EndOfSection
            || f.Message.StartsWith("can't decode", StringComparison.Ordinal)
            || f.Message.StartsWith("can't find insn for unwind_hints", StringComparison.Ordinal);
        if (unplaced || section.Length == 0)
        {
            return new ObjtoolWarning(string.Empty, -1, f.Message);
        }

        bool Within(Generators.Model.AssembledSymbol s) => f.Address >= s.Address && f.Address < s.Address + s.Size;
        var owner = symbols.FirstOrDefault(Within);
        return owner is not null
            ? new ObjtoolWarning(owner.Name, (long)(f.Address - owner.Address), f.Message)
            : new ObjtoolWarning(section, (long)(f.Address - sectionStart[section]), f.Message);
    }

    /// <summary>One line per warning, for assertion messages.</summary>
    public static string Describe(IEnumerable<ObjtoolWarning> warnings) =>
        string.Join("\n", warnings.Select(w => w.Offset < 0 ? w.Message : string.Create(CultureInfo.InvariantCulture, $"{w.Function}+0x{w.Offset:x}: {w.Message}")));
}
