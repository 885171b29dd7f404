using System.CommandLine;
using EntryModel.Analysis.Sweep;
using EntryModel.Scenarios.Catalog;

namespace EntryModel.Cli.Commands;

/// <summary>
/// <c>sweep &lt;scenario&gt; --strategy S [--event E] [--nested] [--shard k/n | --shards n] [--out FILE]</c>:
/// an event at every instruction boundary, each unwinder judged; a shard's result goes to a file for <c>merge</c>.
/// </summary>
internal static class SweepCommand
{
    public static Command Create()
    {
        var scenario = new Argument<string>("scenario") { Description = $"One of: {string.Join(", ", ScenarioCatalog.Names)}." };
        var strategy = StrategyOption.Create("pt-regs-frame");
        var ev = new Option<string>("--event", "-e") { Description = "timer (its handler dumps the stack), preempt (the sleeping task is walked, as livepatch does) or nmi (the interrupted context, as perf does). Default: timer.", DefaultValueFactory = _ => "timer" };
        var nested = new Option<bool>("--nested") { Description = "Also an NMI at every boundary of the first event's handler." };
        var shard = new Option<string?>("--shard") { Description = "Run only shard k/n of the points (interleaved)." };
        var shards = new Option<int?>("--shards") { Description = $"Run one of n shards, its index from {string.Join(" or ", SweepShard.EnvironmentNames)} (Slurm array jobs, Kubernetes Indexed Jobs)." };
        var output = new Option<FileInfo?>("--out", "-o") { Description = "Write the result (JSON) here, for merge." };
        var threads = new Option<int>("--threads") { Description = "Threads (default: all cores); results do not depend on it.", DefaultValueFactory = _ => 0 };
        var command = new Command("sweep", "Inject an event at every instruction boundary of a scenario and judge every unwinder of the strategy, normal and reliable, against ground truth.")
        {
            scenario, strategy, ev, nested, shard, shards, output, threads,
        };
        command.SetAction(parse => Invoke(parse, parse.GetValue(scenario)!, parse.GetValue(strategy)!, parse.GetValue(ev)!, parse.GetValue(nested), parse.GetValue(shard), parse.GetValue(shards), parse.GetValue(output), parse.GetValue(threads)));
        return command;
    }

    private static int Invoke(ParseResult parse, string scenarioName, string strategyName, string eventName, bool nested, string? shardText, int? shardCount, FileInfo? output, int threads)
    {
        var error = parse.InvocationConfiguration.Error;
        if (!ScenarioCatalog.TryGet(scenarioName, out var scenario))
        {
            error.WriteLine(UnknownName.Message("scenario", scenarioName, ScenarioCatalog.Names));
            return EntryModelCli.UsageExitCode;
        }

        if (!StrategyOption.TryResolve(parse, strategyName, out var image))
        {
            return EntryModelCli.UsageExitCode;
        }

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

        var request = new SweepRequest(scenario, image, sweepEvent, nested, selected, threads);
        var result = SweepProgress.Run(request, parse.InvocationConfiguration.Output);
        foreach (string line in SweepReport.Lines(result))
        {
            parse.InvocationConfiguration.Output.WriteLine(line);
        }

        if (output is not null)
        {
            File.WriteAllText(output.FullName, result.ToJson());
        }

        return 0;
    }
}
