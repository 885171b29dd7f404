using System.CommandLine;
using EntryModel.Scenarios.Catalog;
using EntryModel.Scenarios.Reporting;

namespace EntryModel.Cli.Commands;

/// <summary><c>run &lt;scenario&gt; [--strategy &lt;name&gt;]</c>: runs a scenario and prints its outcome, traces and ground truth.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var scenario = new Argument<string>("scenario") { Description = $"Scenario: {string.Join(", ", ScenarioCatalog.Names)}." };
        var strategy = StrategyOption.Create(defaultValue: null);
        var command = new Command("run", "Run a scenario on the machine under one frame strategy (or all) and print its traces.") { scenario, strategy };
        command.SetAction(parse => Invoke(parse, parse.GetRequiredValue(scenario), parse.GetValue(strategy)));
        return command;
    }

    private static int Invoke(ParseResult parse, string scenarioName, string? strategyName)
    {
        if (!ScenarioCatalog.TryGet(scenarioName, out var scenario))
        {
            parse.InvocationConfiguration.Error.WriteLine(UnknownName.Message("scenario", scenarioName, ScenarioCatalog.Names));
            return EntryModelCli.UnknownNameExitCode;
        }

        var images = new List<KernelImage>();
        if (strategyName is null)
        {
            images.AddRange(StrategyCatalog.Images);
        }
        else if (StrategyOption.TryResolve(parse, strategyName, out var image))
        {
            images.Add(image);
        }
        else
        {
            return EntryModelCli.UnknownNameExitCode;
        }

        bool allAsExpected = true;
        foreach (var image in images)
        {
            var result = scenario.Run(image);
            allAsExpected &= result.OutcomeAsExpected;
            foreach (string line in ScenarioReport.Format(result))
            {
                parse.InvocationConfiguration.Output.WriteLine(line);
            }

            parse.InvocationConfiguration.Output.WriteLine();
        }

        return allAsExpected ? 0 : 1;
    }
}
