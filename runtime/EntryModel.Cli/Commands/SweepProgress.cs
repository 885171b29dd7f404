using EntryModel.Analysis.Sweep;
using Spectre.Console;

namespace EntryModel.Cli.Commands;

/// <summary>
/// Runs a sweep and tells the user how far it is: a progress bar on a terminal, plain lines (at
/// every tenth) elsewhere, so the logs of batch jobs stay readable.
/// </summary>
internal static class SweepProgress
{
    public static SweepResult Run(SweepRequest request, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(request);
        bool terminal = output == Console.Out && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
        return terminal ? WithBar(request) : WithLines(request, output);
    }

    private static SweepResult WithBar(SweepRequest request)
    {
        SweepResult? result = null;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask(Markup.Escape($"{request.Scenario.Name} / {request.Image.Strategy} / {request.Event.Name()}{(request.Nested ? " nested" : string.Empty)}"));
                result = InterruptSweep.Run(request, (done, total) =>
                {
                    task.MaxValue = total;
                    task.Value = done;
                });
                task.StopTask();
            });
        return result!;
    }

    private static SweepResult WithLines(SweepRequest request, TextWriter output)
    {
        int reported = 0;
        var gate = new object();
        return InterruptSweep.Run(request, (done, total) =>
        {
            int tenth = total == 0 ? 10 : (int)(done * 10 / total);
            lock (gate)
            {
                if (tenth > reported && tenth < 10)
                {
                    reported = tenth;
                    output.WriteLine($"  {done} of {total} points");
                }
            }
        });
    }
}
