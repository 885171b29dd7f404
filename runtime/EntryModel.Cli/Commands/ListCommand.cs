using System.CommandLine;
using EntryModel.Scenarios.Catalog;
using EntryModel.Scenarios.Reporting;

namespace EntryModel.Cli.Commands;

/// <summary><c>list scenarios|strategies|symbols|constants [--strategy &lt;name&gt;]</c>.</summary>
internal static class ListCommand
{
    public static Command Create()
    {
        var what = new Argument<string>("what") { Description = $"What to list: {string.Join(", ", CatalogListing.Kinds)}." };
        var strategy = StrategyOption.Create(defaultValue: "none");
        var command = new Command("list", "List the scenarios, the frame strategies, the unwinders, or the symbols or constants of a strategy's image.") { what, strategy };
        command.SetAction(parse => Invoke(parse, parse.GetRequiredValue(what), parse.GetValue(strategy)!));
        return command;
    }

    private static int Invoke(ParseResult parse, string what, string strategyName)
    {
        IEnumerable<string> lines;
        switch (what)
        {
            case "scenarios":
                lines = CatalogListing.Scenarios();
                break;
            case "strategies":
                lines = CatalogListing.Strategies();
                break;
            case "unwinders":
                lines = CatalogListing.Unwinders();
                break;
            case "symbols":
            case "constants":
                if (!StrategyOption.TryResolve(parse, strategyName, out var image))
                {
                    return EntryModelCli.UsageExitCode;
                }

                lines = what == "symbols" ? CatalogListing.Symbols(image) : CatalogListing.Constants(image);
                break;
            default:
                parse.InvocationConfiguration.Error.WriteLine(UnknownName.Message("list kind", what, CatalogListing.Kinds));
                return EntryModelCli.UsageExitCode;
        }

        foreach (string line in lines)
        {
            parse.InvocationConfiguration.Output.WriteLine(line);
        }

        return 0;
    }
}
