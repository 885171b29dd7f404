using System.CommandLine;
using EntryModel.Export.Core;
using EntryModel.Scenarios.Catalog;
using EntryModel.Scenarios.Running;

namespace EntryModel.Cli.Commands;

/// <summary>
/// <c>run &lt;scenario&gt; --strategy S --core-at &lt;symbol|dump&gt; -o &lt;state.core&gt;</c>: runs the
/// scenario only to that point and writes the machine there as an ELF core file, for
/// <c>gdb image.elf state.core</c> (the image from <c>export --strategy S</c>).
/// </summary>
internal static class CoreDumpRun
{
    /// <summary>Exit code when the run never reaches the point or the file cannot be written.</summary>
    public const int ErrorExitCode = 1;

    public static int Invoke(ParseResult parse, string scenarioName, string? strategyName, string? point, FileInfo? output)
    {
        var error = parse.InvocationConfiguration.Error;
        if (point is null || output is null || strategyName is null)
        {
            error.WriteLine("run: a core dump needs --core-at <symbol|dump>, -o <file> and --strategy <name> (one core is one strategy's machine)");
            return EntryModelCli.UsageExitCode;
        }

        if (!ScenarioCatalog.TryGet(scenarioName, out var scenario))
        {
            error.WriteLine(UnknownName.Message("scenario", scenarioName, ScenarioCatalog.Names));
            return EntryModelCli.UsageExitCode;
        }

        if (!StrategyOption.TryResolve(parse, strategyName, out var image))
        {
            return EntryModelCli.UsageExitCode;
        }

        if (!CorePoint.IsKnown(image, point))
        {
            error.WriteLine($"run: --core-at '{point}' is neither '{CorePoint.Dump}' nor a code symbol of {image} (see 'list symbols --strategy {image.Strategy}')");
            return EntryModelCli.UsageExitCode;
        }

        var session = scenario.Prepare(image);
        var stop = CorePoint.RunTo(session, point, out string? failure);
        if (stop is null)
        {
            error.WriteLine($"run: {scenario.Name} on {image.Strategy}: {failure}; no core written");
            return ErrorExitCode;
        }

        try
        {
            ElfCoreWriter.WriteFile(MachineCore.Of(session.Machine, stop.Cpu), output.FullName);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"{output}: error: {ex.Message}");
            return ErrorExitCode;
        }

        parse.InvocationConfiguration.Output.WriteLine($"{scenario.Name} on {image.Strategy} stopped {stop.Description}: core written to {output}");
        return 0;
    }
}
