using System.Globalization;
using EntryModel.Export.Core;
using EntryModel.Machine.Execution;
using EntryModel.Oracles.Tests.Export.Images;
using EntryModel.Scenarios.Catalog;
using EntryModel.Scenarios.Running;

namespace EntryModel.Oracles.Tests.Export.Cores;

/// <summary>One sampled point of a sweep: where the CPU stood (in the kernel: RIP and RSP), the stack captured there, and the core written of the machine.</summary>
internal sealed record SweepPoint(ulong Rip, ulong Rsp, StackCapture Capture, string Core);

/// <summary>
/// The sweep's cores for the gdb oracles: a scenario run on one strategy's image, stopped every few
/// instructions, with a capture and an ELF core wherever the CPU is in the kernel; and gdb's
/// <c>bt</c> of all of them from one gdb process (<c>core-file</c> switches between them).
/// </summary>
internal static class CoreSweep
{
    /// <summary>Runs <paramref name="scenarioName"/> on <paramref name="image"/> to its end, taking a point every <paramref name="every"/> instructions where CPL is 0; the cores go into <paramref name="dir"/>.</summary>
    public static IReadOnlyList<SweepPoint> Take(KernelImage image, string scenarioName, int every, string dir)
    {
        if (!ScenarioCatalog.TryGet(scenarioName, out var scenario))
        {
            throw new ArgumentException($"no scenario {scenarioName}", nameof(scenarioName));
        }

        var session = scenario!.Prepare(image);
        var points = new List<SweepPoint>();
        while (session.Run(every).Kind == StopKind.InstructionCount)
        {
            if (session.Machine.Cpu.Cpl != 0)
            {
                continue;
            }

            var capture = session.CaptureHere();
            session.ForgetCapture(capture);
            string core = Path.Combine(dir, $"{image.Strategy}-{scenarioName}-{points.Count.ToString(CultureInfo.InvariantCulture)}.core");
            ElfCoreWriter.WriteFile(MachineCore.Of(session.Machine, session.Machine.Cpu), core);
            points.Add(new SweepPoint(session.Machine.Cpu.Rip, session.Machine.Cpu[EntryModel.Machine.Cpu.Gpr.Rsp], capture, core));
        }

        return points;
    }

    /// <summary>gdb's <c>bt</c> at every point, in order, from one gdb process on the image.</summary>
    public static IReadOnlyList<GdbBacktrace> Backtraces(KernelImage image, IReadOnlyList<SweepPoint> points)
    {
        var args = new List<string> { "-batch", "-nx" };
        foreach (var point in points)
        {
            args.AddRange(["-ex", "echo @@point\\n", "-ex", "core-file " + point.Core, "-ex", GdbBacktrace.Command]);
        }

        args.Add(ExportedImages.PathOf(image));
        var outputs = Binutils.Run("gdb", [.. args]).Split("@@point\n")[1..];
        if (outputs.Length != points.Count)
        {
            throw new InvalidOperationException($"gdb printed {outputs.Length} backtraces for {points.Count} cores");
        }

        return [.. outputs.Select((output, i) => GdbBacktrace.Parse(output, points[i].Rip))];
    }
}
