using System.Globalization;
using System.Xml.Linq;
using EntryModel.Cli;
using EntryModel.Scenarios.Catalog;
using EntryModel.Unwinding;

namespace EntryModel.Analysis.Tests.Compare;

/// <summary>
/// <c>compare --out DIR</c>, run as a user runs it: the three files, one CSV row per strategy and
/// unwinder, costs measured on the machine, and the sweep's verdicts. Oracles: the machine's ground
/// truth (through the sweep) and the images' own symbols.
/// </summary>
public class CompareCommandTests
{
    private static readonly Lazy<(int Code, string Dir)> Run = new(() =>
    {
        string dir = Directory.CreateTempSubdirectory("entrymodel-compare-").FullName;
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = EntryModelCli.Run(["compare", "--out", dir], output, error);
        return (code, dir);
    });

    [OneTimeTearDown]
    public void RemoveOutput()
    {
        if (Run.IsValueCreated)
        {
            Directory.Delete(Run.Value.Dir, recursive: true);
        }
    }

    [Test]
    public void It_writes_markdown_csv_and_an_svg_drawn_by_scottplot()
    {
        var (code, dir) = Run.Value;

        Assert.That(code, Is.Zero, "no unwinder vouched for a wrong trace");
        Assert.That(File.ReadAllText(Path.Combine(dir, "compare.md")), Does.StartWith("| strategy | unwinder |"));
        var svg = XDocument.Load(Path.Combine(dir, "compare.svg"));
        Assert.That(svg.Root!.Name.LocalName, Is.EqualTo("svg"));
        Assert.That(svg.Descendants().Count(e => e.Name.LocalName == "svg"), Is.EqualTo(3), "two panels inside one picture");
    }

    [Test]
    public void The_csv_has_a_row_per_strategy_and_unwinder_with_the_sweep_classes()
    {
        var rows = Csv();
        int expected = StrategyCatalog.Images.Sum(i => UnwinderCatalog.For(i).Count);

        Assert.That(rows, Has.Count.EqualTo(expected));
        Assert.That(rows[0].Keys, Is.SupersetOf(new[] { "strategy", "unwinder", "exact", "unreliable", "wrong", "wrong_while_reliable", "failures" }));
        Assert.That(rows.Select(r => r["wrong_while_reliable"]), Is.All.EqualTo("0"));
        Assert.That(rows.Select(r => r["failures"]), Is.All.EqualTo("0"));
        foreach (var r in rows)
        {
            long samples = long.Parse(r["samples"], CultureInfo.InvariantCulture);
            long sum = new[] { "exact", "unreliable", "wrong", "wrong_while_reliable" }.Sum(k => long.Parse(r[k], CultureInfo.InvariantCulture));
            Assert.That(sum, Is.EqualTo(samples), $"{r["strategy"]}/{r["unwinder"]}");
        }
    }

    [Test]
    public void The_seeds_ideal_trace_is_reached_by_the_marking_strategies_and_not_by_the_plain_frame_walk()
    {
        var rows = Csv();
        string Ideal(string strategy, string unwinder) => rows.Single(r => r["strategy"] == strategy && r["unwinder"] == unwinder)["seed_ideal"];

        Assert.That(Ideal("pt-regs-frame", "frame-ptregs"), Is.EqualTo("1"));
        Assert.That(Ideal("encoded-rbp", "frame-encoded"), Is.EqualTo("1"));
        Assert.That(Ideal("orc", "orc"), Is.EqualTo("1"));
        Assert.That(Ideal("none", "frame"), Is.EqualTo("0"));
    }

    /// <summary>The fake frame costs instructions and stack on every entry; the encoded %rbp one instruction; ORC none, but table bytes.</summary>
    [Test]
    public void Entry_costs_follow_what_each_strategy_adds()
    {
        var rows = Csv();
        long Value(string strategy, string column) => long.Parse(rows.First(r => r["strategy"] == strategy)[column], CultureInfo.InvariantCulture);

        Assert.That(Value("pt-regs-frame", "pf_entry_insns"), Is.GreaterThan(Value("none", "pf_entry_insns")));
        Assert.That(Value("pt-regs-frame", "pf_entry_stack_bytes") - Value("none", "pf_entry_stack_bytes"), Is.EqualTo(24), "regs pointer, pt_regs+1 and the saved rbp");
        Assert.That(Value("encoded-rbp", "pf_entry_insns") - Value("none", "pf_entry_insns"), Is.EqualTo(1));
        Assert.That(Value("orc", "pf_entry_insns"), Is.EqualTo(Value("none", "pf_entry_insns")));
        Assert.That(Value("orc", "unwind_table_bytes"), Is.GreaterThan(Value("section", "unwind_table_bytes")));
        Assert.That(Value("section", "unwind_table_bytes"), Is.Positive);
        Assert.That(Value("none", "unwind_table_bytes"), Is.Zero);
        Assert.That(Value("pt-regs-frame", "entry_code_bytes"), Is.GreaterThan(Value("none", "entry_code_bytes")));
    }

    private static List<Dictionary<string, string>> Csv()
    {
        string[] lines = File.ReadAllLines(Path.Combine(Run.Value.Dir, "compare.csv"));
        string[] header = lines[0].Split(',');
        return [.. lines.Skip(1).Select(l => header.Zip(l.Split(',')).ToDictionary(p => p.First, p => p.Second))];
    }
}
