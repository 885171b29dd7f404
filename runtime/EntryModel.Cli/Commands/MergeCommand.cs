using System.CommandLine;
using System.Text.Json;
using EntryModel.Analysis.Sweep;

namespace EntryModel.Cli.Commands;

/// <summary><c>merge SHARD.json... [--out FILE]</c>: the shards of one sweep (from <c>sweep --shard k/n --out</c>) as the whole sweep's result.</summary>
internal static class MergeCommand
{
    public static Command Create()
    {
        var files = new Argument<FileInfo[]>("shards") { Description = "The shard results (JSON), one per shard of the sweep.", Arity = ArgumentArity.OneOrMore };
        var output = new Option<FileInfo?>("--out", "-o") { Description = "Write the merged result (JSON) here." };
        var command = new Command("merge", "Merge the shard results of one sweep into the whole sweep's result and report it.") { files, output };
        command.SetAction(parse => Invoke(parse, parse.GetValue(files)!, parse.GetValue(output)));
        return command;
    }

    private static int Invoke(ParseResult parse, FileInfo[] files, FileInfo? output)
    {
        var error = parse.InvocationConfiguration.Error;
        var shards = new List<SweepResult>();
        foreach (var file in files)
        {
            try
            {
                shards.Add(SweepResult.FromJson(File.ReadAllText(file.FullName)));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or NotSupportedException)
            {
                error.WriteLine($"{file.Name}: not a sweep result ({e.Message})");
                return EntryModelCli.UsageExitCode;
            }
        }

        var merged = SweepResult.Merge(shards, out string? problem);
        if (merged is null)
        {
            error.WriteLine(problem);
            return EntryModelCli.UsageExitCode;
        }

        foreach (string line in SweepReport.Lines(merged))
        {
            parse.InvocationConfiguration.Output.WriteLine(line);
        }

        if (output is not null)
        {
            File.WriteAllText(output.FullName, merged.ToJson());
        }

        return 0;
    }
}
