using System.CommandLine;
using EntryModel.Analysis.Sweep;
using EntryModel.Scenarios.Catalog;
using EntryModel.Scenarios.Judging;
using EntryModel.Scenarios.Reporting;
using EntryModel.Scenarios.Running;
using EntryModel.Unwinding;
using EntryModel.Unwinding.Printing;

namespace EntryModel.Cli.Commands;

/// <summary>
/// <c>sweep [scenario] [--strategy S] [--event E] [--nested] [--shard k/n | --shards n] [--out FILE]</c>:
/// an event at every instruction boundary, each unwinder judged; a shard's result goes to a file for
/// <c>merge</c>. Whatever is not named is swept in full: every scenario, strategy and event.
/// </summary>
internal static class SweepCommand
{
    public static Command Create()
    {
        var scenario = new Argument<string?>("scenario") { Description = $"One of: {string.Join(", ", ScenarioCatalog.Names)}. Default: every scenario.", Arity = ArgumentArity.ZeroOrOne };
        var strategy = StrategyOption.Create(null);
        var ev = new Option<string?>("--event", "-e") { Description = "timer (its handler dumps the stack), preempt (the sleeping task is walked, as livepatch does) or nmi (the interrupted context, as perf does). Default: every event." };
        var nested = new Option<bool>("--nested") { Description = "Also an NMI at every boundary of the first event's handler." };
        var shard = new Option<string?>("--shard") { Description = "Run only shard k/n of the points (interleaved)." };
        var shards = new Option<int?>("--shards") { Description = $"Run one of n shards, its index from {string.Join(" or ", SweepShard.EnvironmentNames)} (Slurm array jobs, Kubernetes Indexed Jobs)." };
        var output = new Option<FileInfo?>("--out", "-o") { Description = "Write the result (JSON) here, for merge; with several sweeps, a directory that gets one file per sweep." };
        var folded = new Option<DirectoryInfo?>("--folded") { Description = "For NMI (and nested) sweeps: write each unwinder's reported stacks and the true ones as folded-stack files (flame-graph input) into this directory." };
        var at = new Option<long?>("--at") { Description = "Only this boundary (instructions retired before the event): every unwinder's walk beside the truth, as run prints it." };
        var threads = new Option<int>("--threads") { Description = "Threads (default: all cores); results do not depend on it.", DefaultValueFactory = _ => 0 };
        var command = new Command("sweep", "Inject an event at every instruction boundary of a scenario and judge every unwinder of the strategy, normal and reliable, against ground truth.")
        {
            scenario, strategy, ev, nested, shard, shards, output, folded, at, threads,
        };
        command.SetAction(parse => Invoke(parse, parse.GetValue(scenario), parse.GetValue(strategy), parse.GetValue(ev), parse.GetValue(nested), parse.GetValue(shard), parse.GetValue(shards), parse.GetValue(output), parse.GetValue(folded), parse.GetValue(at), parse.GetValue(threads)));
        return command;
    }

    private static int Invoke(ParseResult parse, string? scenarioName, string? strategyName, string? eventName, bool nested, string? shardText, int? shardCount, FileInfo? output, DirectoryInfo? foldedDirectory, long? at, int threads)
    {
        var error = parse.InvocationConfiguration.Error;
        var scenarios = ScenarioCatalog.All;
        if (scenarioName is not null)
        {
            if (!ScenarioCatalog.TryGet(scenarioName, out var one))
            {
                error.WriteLine(UnknownName.Message("scenario", scenarioName, ScenarioCatalog.Names));
                return EntryModelCli.UsageExitCode;
            }

            scenarios = [one];
        }

        var images = StrategyCatalog.Images;
        if (strategyName is not null)
        {
            if (!StrategyOption.TryResolve(parse, strategyName, out var image))
            {
                return EntryModelCli.UsageExitCode;
            }

            images = [image];
        }

        IReadOnlyList<SweepEvent> events = nested ? [SweepEvent.Timer, SweepEvent.Preempt] : [SweepEvent.Timer, SweepEvent.Preempt, SweepEvent.Nmi];
        if (eventName is not null)
        {
            if (!SweepEvents.TryParse(eventName, out var sweepEvent))
            {
                error.WriteLine(UnknownName.Message("event", eventName, SweepEvents.Names));
                return EntryModelCli.UsageExitCode;
            }

            if (nested && sweepEvent == SweepEvent.Nmi)
            {
                error.WriteLine("--nested needs --event timer or preempt: an NMI handler cannot be interrupted (NMIs stay blocked and interrupts off until its IRETQ)");
                return EntryModelCli.UsageExitCode;
            }

            events = [sweepEvent];
        }

        SweepShard? selected = null;
        if (shardText is not null)
        {
            if (!SweepShard.TryParse(shardText, out var parsed, out string? problem))
            {
                error.WriteLine(problem);
                return EntryModelCli.UsageExitCode;
            }

            selected = parsed;
        }
        else if (shardCount is { } count)
        {
            selected = SweepShard.FromEnvironment(count, Environment.GetEnvironmentVariable, out string? problem);
            if (selected is null)
            {
                error.WriteLine(problem ?? $"--shards {count}: set {string.Join(" or ", SweepShard.EnvironmentNames)} to this process's index");
                return EntryModelCli.UsageExitCode;
            }
        }

        if (at is { } boundary)
        {
            if (scenarios.Count != 1 || images.Count != 1 || events.Count != 1 || nested)
            {
                error.WriteLine("--at needs one scenario, one --strategy and one --event (not nested)");
                return EntryModelCli.UsageExitCode;
            }

            return ShowPoint(parse, new SweepRequest(scenarios[0], images[0], events[0]), boundary);
        }

        var requests = (from sc in scenarios from im in images from e in events select new SweepRequest(sc, im, e, nested, selected, threads)).ToList();
        var results = new List<SweepResult>();
        foreach (var r in requests)
        {
            try
            {
                results.Add(SweepProgress.Run(r, parse.InvocationConfiguration.Output));
            }
            catch (InvalidOperationException e)
            {
                // The scenario does not reach its own outcome without events: there is no reference to sweep against.
                error.WriteLine(e.Message);
                return 1;
            }
        }

        var lines = results.Count == 1 ? SweepReport.Lines(results[0]) : SweepReport.Summary(results);
        foreach (string line in lines)
        {
            parse.InvocationConfiguration.Output.WriteLine(line);
        }

        if (foldedDirectory is not null)
        {
            Directory.CreateDirectory(foldedDirectory.FullName);
            foreach (var r in results.Where(r => r.Folded.Count > 0))
            {
                string prefix = results.Count == 1 ? string.Empty : $"{r.Scenario}.{r.Strategy}.{r.Event.Name()}{(r.Nested ? ".nested" : string.Empty)}.";
                foreach (var (who, stacks) in r.Folded)
                {
                    File.WriteAllText(Path.Combine(foldedDirectory.FullName, $"{prefix}{who}.folded"), FoldedStacks.Write(stacks));
                }
            }
        }

        if (output is not null && results.Count == 1)
        {
            File.WriteAllText(output.FullName, results[0].ToJson());
        }
        else if (output is not null)
        {
            Directory.CreateDirectory(output.FullName);
            foreach (var r in results)
            {
                File.WriteAllText(Path.Combine(output.FullName, $"{r.Scenario}.{r.Strategy}.{r.Event.Name()}{(r.Nested ? ".nested" : string.Empty)}.json"), r.ToJson());
            }
        }

        return 0;
    }

    private static int ShowPoint(ParseResult parse, SweepRequest request, long boundary)
    {
        var o = parse.InvocationConfiguration.Output;
        long total = InterruptSweep.Reference(request).Stop.Instructions;
        if (boundary < 0 || boundary >= total)
        {
            parse.InvocationConfiguration.Error.WriteLine($"--at {boundary}: the run has boundaries 0..{total - 1}");
            return EntryModelCli.UsageExitCode;
        }

        var (rip, failure, sample) = InterruptSweep.CaptureAt(request, boundary);
        o.WriteLine($"{request.Event.Name()} at boundary {boundary} of {request.Scenario.Name} under {request.Image.Strategy}, interrupting {BacktraceSymbolizer.FormatAddress(request.Image.Symbols, rip)}: {(failure == SweepFailure.None ? "transparent" : failure.ToString())}");
        if (sample is null)
        {
            o.WriteLine("no sample at this point");
            return 0;
        }

        var judge = new StackJudge(request.Image);
        foreach (string name in UnwinderCatalog.For(request.Image))
        {
            o.WriteLine();
            o.WriteLine($"unwinder {name}:");
            var unwinder = UnwinderCatalog.Create(name, judge.Image);
            foreach (string line in ScenarioReport.FormatStack(judge, sample, unwinder, ReportOptions.Default.PrinterFor(unwinder), ReportOptions.Default))
            {
                o.WriteLine("  " + line);
            }
        }

        return 0;
    }
}
