using System.CommandLine;
using EntryModel.Scenarios.Inspection;

namespace EntryModel.Cli.Commands;

/// <summary><c>dump-orc [--strategy &lt;name&gt;]</c>: the image's ORC rows as objtool's <c>--dump=orc</c> prints them.</summary>
internal static class DumpOrcCommand
{
    /// <summary>Exit code when the image has no ORC tables: nothing to dump, and nothing is made up instead.</summary>
    public const int NoTablesExitCode = 1;

    public static Command Create()
    {
        var strategy = StrategyOption.Create(defaultValue: "orc");
        var command = new Command("dump-orc", "Print the ORC rows of a strategy's image in objtool's --dump=orc format (section+offset: sp, bp, type, end).") { strategy };
        command.SetAction(parse => Invoke(parse, parse.GetValue(strategy)!));
        return command;
    }

    private static int Invoke(ParseResult parse, string strategyName)
    {
        if (!StrategyOption.TryResolve(parse, strategyName, out var image))
        {
            return EntryModelCli.UsageExitCode;
        }

        if (image.Orc is not { } table)
        {
            parse.InvocationConfiguration.Error.WriteLine($"the image of strategy {image.Strategy} has no ORC tables: nothing to dump");
            return NoTablesExitCode;
        }

        var output = parse.InvocationConfiguration.Output;
        foreach (string line in OrcDump.Lines(image, table))
        {
            output.WriteLine(line);
        }

        return 0;
    }
}
