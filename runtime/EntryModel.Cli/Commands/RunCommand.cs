using EntryModel.Scenarios.Running;
using System.CommandLine;
using EntryModel.Scenarios.Catalog;
using EntryModel.Scenarios.Reporting;
using EntryModel.Unwinding;

namespace EntryModel.Cli.Commands;

/// <summary>
/// <c>run &lt;scenario&gt; [--strategy S] [--unwinder U] [--reliable] [--printer classic|smart] [--regs]</c>:
/// runs a scenario and prints its outcome, each captured stack as the unwinder sees it beside
/// ground truth, reliable mode's answer, and each task's ground truth. With
/// <c>--core-at &lt;symbol|dump&gt; -o &lt;state.core&gt;</c> it runs only to that point and writes the
/// machine there as an ELF core file (<see cref="CoreDumpRun"/>).
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var scenario = new Argument<string>("scenario") { Description = $"Scenario: {string.Join(", ", ScenarioCatalog.Names)}." };
        var strategy = StrategyOption.Create(defaultValue: null);
        var unwinder = new Option<string?>("--unwinder", "-u") { Description = $"Unwinder: {string.Join(", ", UnwinderCatalog.Names)}. Default: the strategy's own (see 'list strategies')." };
        var reliable = new Option<bool>("--reliable") { Description = "Show reliable mode's answer (livepatch's): the trace only when every frame can be vouched for." };
        var printer = new Option<string?>("--printer", "-p") { Description = "Printer: classic (the 2016 scan, '?' for addresses off the chain) or smart (the unwinder's frames, events named). Default: classic for guess and frame, smart otherwise." };
        var registers = new Option<bool>("--regs") { Description = "With the smart printer: the registers saved at each event boundary." };
        var coreAt = new Option<string?>("--core-at") { Description = $"Stop where RIP first reaches this symbol, or at the first DUMP_STACK ('{CorePoint.Dump}'), and write the machine there as an ELF core file (needs --strategy and -o)." };
        var output = new Option<FileInfo?>("--output", "-o") { Description = "With --core-at: where to write the core file." };
        var command = new Command("run", "Run a scenario on the machine under one frame strategy (or all) and unwind the stacks it captures.") { scenario, strategy, unwinder, reliable, printer, registers, coreAt, output };
        command.SetAction(parse =>
        {
            string? point = parse.GetValue(coreAt);
            var file = parse.GetValue(output);
            if (point is not null || file is not null)
            {
                // A core is the machine at one point, not a report: the report's options have nothing to act on.
                string[] reportOptions = [.. new (bool Given, string Name)[]
                {
                    (parse.GetValue(unwinder) is not null, "--unwinder"),
                    (parse.GetValue(reliable), "--reliable"),
                    (parse.GetValue(printer) is not null, "--printer"),
                    (parse.GetValue(registers), "--regs"),
                }.Where(o => o.Given).Select(o => o.Name)];
                if (reportOptions.Length > 0)
                {
                    parse.InvocationConfiguration.Error.WriteLine($"run: {string.Join(", ", reportOptions)} shape the printed report; a core dump (--core-at, -o) prints none: unwind the core with gdb, or run without --core-at");
                    return EntryModelCli.UsageExitCode;
                }

                return CoreDumpRun.Invoke(parse, parse.GetRequiredValue(scenario), parse.GetValue(strategy), point, file);
            }

            return Invoke(parse, parse.GetRequiredValue(scenario), parse.GetValue(strategy), parse.GetValue(unwinder), parse.GetValue(reliable), parse.GetValue(printer), parse.GetValue(registers));
        });
        return command;
    }

    private static int Invoke(ParseResult parse, string scenarioName, string? strategyName, string? unwinderName, bool reliable, string? printerName, bool registers)
    {
        var error = parse.InvocationConfiguration.Error;
        if (!ScenarioCatalog.TryGet(scenarioName, out var scenario))
        {
            error.WriteLine(UnknownName.Message("scenario", scenarioName, ScenarioCatalog.Names));
            return EntryModelCli.UsageExitCode;
        }

        if (unwinderName is not null && !UnwinderCatalog.Names.Contains(unwinderName))
        {
            error.WriteLine(UnknownName.Message("unwinder", unwinderName, UnwinderCatalog.Names));
            return EntryModelCli.UsageExitCode;
        }

        PrinterKind? printerKind = null;
        if (printerName is not null)
        {
            printerKind = printerName switch { "classic" => PrinterKind.Classic, "smart" => PrinterKind.Smart, _ => null };
            if (printerKind is null)
            {
                error.WriteLine(UnknownName.Message("printer", printerName, ["classic", "smart"]));
                return EntryModelCli.UsageExitCode;
            }

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
            return EntryModelCli.UsageExitCode;
        }

        var options = new ReportOptions(unwinderName, reliable, printerKind, registers);
        bool allAsExpected = true;
        foreach (var image in images)
        {
            var result = scenario.Run(image);
            allAsExpected &= result.OutcomeAsExpected;
            foreach (string line in ScenarioReport.Format(result, options))
            {
                parse.InvocationConfiguration.Output.WriteLine(line);
            }

            parse.InvocationConfiguration.Output.WriteLine();
        }

        return allAsExpected ? 0 : 1;
    }
}
