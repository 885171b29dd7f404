using EntryModel.Analysis.Sweep;

namespace EntryModel.Cli.Commands;

/// <summary>Runs a sweep, telling the user how far it is: plain lines (every tenth), so logs of batch jobs stay readable.</summary>
internal static class SweepProgress
{
    public static SweepResult Run(SweepRequest request, TextWriter output)
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
