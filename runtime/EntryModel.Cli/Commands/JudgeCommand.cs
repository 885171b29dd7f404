using System.CommandLine;
using EntryModel.Scenarios.Catalog;
using EntryModel.Scenarios.Reporting;

namespace EntryModel.Cli.Commands;

/// <summary><c>judge [--scenario S]</c>: every (strategy, unwinder) pair against ground truth, as a Markdown table.</summary>
internal static class JudgeCommand
{
    public static Command Create()
    {
        var scenario = new Option<string?>("--scenario") { Description = $"Only this scenario: {string.Join(", ", ScenarioCatalog.Names)}. Default: all." };
        var command = new Command("judge", "Run every scenario under every strategy and judge each supported unwinder against ground truth, in normal and reliable mode (a Markdown table).") { scenario };
        command.SetAction(parse => Invoke(parse, parse.GetValue(scenario)));
        return command;
    }

    private static int Invoke(ParseResult parse, string? scenarioName)
    {
        var scenarios = ScenarioCatalog.All;
        if (scenarioName is not null)
        {
            if (!ScenarioCatalog.TryGet(scenarioName, out var one))
            {
                parse.InvocationConfiguration.Error.WriteLine(UnknownName.Message("scenario", scenarioName, ScenarioCatalog.Names));
                return EntryModelCli.UsageExitCode;
            }

            scenarios = [one];
        }

        var rows = JudgementTable.Build(scenarios);
        foreach (string line in JudgementTable.Markdown(rows))
        {
            parse.InvocationConfiguration.Output.WriteLine(line);
        }

        return rows.Any(r => r.Judgement.ReliableVerdict == Scenarios.Judging.ReliableVerdict.WrongWhileReliable) ? 1 : 0;
    }
}
