using System.CommandLine;
using EntryModel.Analysis.Compare;

namespace EntryModel.Cli.Commands;

/// <summary><c>compare [--out DIR]</c>: every strategy and unwinder of the default model side by side: costs, sweep classes, misattributed samples, the seed's ideal trace.</summary>
internal static class CompareCommand
{
    public static Command Create()
    {
        var output = new Option<DirectoryInfo?>("--out", "-o") { Description = "Write compare.md, compare.csv and compare.svg into this directory." };
        var command = new Command("compare", "Compare every strategy and unwinder of the default model: entry cost, walk cost, the whole sweep's classes, misattributed NMI samples, and whether the seed's ideal trace is reached.") { output };
        command.SetAction(parse => Invoke(parse, parse.GetValue(output)));
        return command;
    }

    private static int Invoke(ParseResult parse, DirectoryInfo? output)
    {
        var error = parse.InvocationConfiguration.Error;
        var rows = StrategyComparison.Build(step => error.WriteLine($"  {step}"));
        string markdown = CompareReport.Markdown(rows);
        var o = parse.InvocationConfiguration.Output;
        o.Write(markdown);
        o.WriteLine();
        o.WriteLine("* the strategy's own unwinder. Instructions and stack bytes are measured on the machine (the seed's page fault, its read() syscall, a watchdog interrupt in copy_page_to_iter); ns/frame is a quick in-process timing of the walk over the seed's stack.");
        o.WriteLine("Native ns per entry on the host CPU: not run by this command; BenchmarkDotNet measures it (NativeEntryBenchmark, results in benchmarks/RESULTS.md).");
        if (output is not null)
        {
            Directory.CreateDirectory(output.FullName);
            File.WriteAllText(Path.Combine(output.FullName, "compare.md"), markdown);
            File.WriteAllText(Path.Combine(output.FullName, "compare.csv"), CompareReport.Csv(rows));
            ComparePlot.SaveSvg(rows, Path.Combine(output.FullName, "compare.svg"));
        }

        return rows.Any(r => r.Sweep.WrongWhileReliable > 0) ? 1 : 0;
    }
}
