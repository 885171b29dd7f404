namespace EntryModel.Oracles.Tests.Objtool;

/// <summary>
/// The generator's stack validation against objtool on the same source: GNU as assembles each
/// case and objtool 6.1 checks it with kbuild's flags (<c>--stackval</c>, <c>--orc</c>); EntryModel
/// assembles and validates it with the same checks. Warnings must agree (message, function and
/// offset, objtool's one-unreachable rule applied), and with ORC every row. Oracle: objtool.
/// </summary>
public class FrameValidationObjtoolOracleTests
{
    public static IEnumerable<ValidationCase> Cases => ValidationCorpus.All;

    [TestCaseSource(nameof(Cases))]
    public void Frame_pointer_warnings_match_objtool_stackval(ValidationCase c) => Compare(c, orc: false);

    [TestCaseSource(nameof(Cases))]
    public void Orc_warnings_and_rows_match_objtool_orc(ValidationCase c) => Compare(c, orc: true);

    private static void Compare(ValidationCase c, bool orc)
    {
        var expected = Objtool.Check(c.Source, orc);
        var actual = EntryModelValidation.Check(c.Source, orc);
        Assert.Multiple(() =>
        {
            Assert.That(EntryModelValidation.Describe(actual.Warnings.Order()), Is.EqualTo(EntryModelValidation.Describe(expected.Warnings.Order())), "warnings");
            if (orc)
            {
                Assert.That(actual.Rows.Select(Line), Is.EqualTo(expected.Rows.Select(Line)), "ORC rows");
            }
        });
    }

    private static string Line(ObjtoolOrcRow r) => $"{r.Section}+{r.Offset:x}: {r.Row}";
}

/// <summary>The corpus is worth its name: objtool accepts the good cases, finds every rule broken, and it is big enough.</summary>
public class ValidationCorpusObjtoolTests
{
    [Test]
    public void Objtool_accepts_every_good_case()
    {
        foreach (var c in ValidationCorpus.Good)
        {
            Assert.That(Objtool.Check(c.Source, orc: false).Warnings, Is.Empty, c.Name);
            Assert.That(Objtool.Check(c.Source, orc: true).Warnings, Is.Empty, c.Name);
        }
    }

    [Test]
    public void Every_broken_case_breaks_a_rule_and_together_they_break_every_rule()
    {
        var messages = new List<string>();
        foreach (var c in ValidationCorpus.Broken)
        {
            var found = Objtool.Check(c.Source, orc: false).Warnings;
            Assert.That(found, Is.Not.Empty, c.Name);
            messages.AddRange(found.Select(w => w.Message));
        }

        string[] rules =
        [
            "call without frame pointer save/setup", "return with modified stack frame", "stack state mismatch: cfa1",
            "stack state mismatch: reg1[5]", "unreachable instruction", "undefined stack state", "unsupported stack register modification",
            "unsupported stack pointer realignment", "falls through to next function", "sibling call from callable instruction with modified stack frame",
            "BP used as a scratch register", "with DF set", "redundant CLD", "unsupported instruction in callable function", "unexpected end of section",
        ];
        Assert.That(rules.Where(r => !messages.Any(m => m.Contains(r, StringComparison.Ordinal))), Is.Empty, string.Join('\n', messages));
    }

    [Test]
    public void The_corpus_has_at_least_60_functions_and_entry_regions()
    {
        int count = ValidationCorpus.All.Sum(c => c.Source.Split('\n').Count(l => l.TrimStart().StartsWith(".globl", StringComparison.Ordinal)) - 1);
        Assert.That(count, Is.GreaterThanOrEqualTo(60));
    }
}
