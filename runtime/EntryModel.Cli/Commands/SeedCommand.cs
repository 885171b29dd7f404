using System.CommandLine;
using EntryModel.Scenarios.Seed;

namespace EntryModel.Cli.Commands;

/// <summary>The default run: the seed scenario under <c>none</c> and <c>pt-regs-frame</c>, each trace beside the seed's.</summary>
internal static class SeedCommand
{
    public static int Invoke(ParseResult parse)
    {
        var output = parse.InvocationConfiguration.Output;
        var runs = SeedReproduction.Run();
        foreach (string line in SeedReproduction.Format(runs))
        {
            output.WriteLine(line);
        }

        return runs.All(r => r.Comparison.AllMatch && r.Result.OutcomeAsExpected) ? 0 : 1;
    }
}
