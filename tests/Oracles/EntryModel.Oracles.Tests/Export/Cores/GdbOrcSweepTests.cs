using EntryModel.Oracles.Tests.Export.Images;
using EntryModel.Scenarios.Catalog;
using EntryModel.Unwinding;
using EntryModel.Unwinding.Image;

namespace EntryModel.Oracles.Tests.Export.Cores;

/// <summary>
/// Oracle: gdb with the <c>orc</c> image's <c>.eh_frame</c>, on cores taken every few instructions of
/// every scenario wherever the CPU is in the kernel (entry code, pt_regs half pushed or half
/// popped, handlers, the exit paths), held against the model's ORC unwinder at the same point. gdb
/// reads the rows as CFI, so:
/// <list type="bullet">
/// <item>every frame the ORC unwinder gives, gdb gives, in order (code standing on pt_regs as a signal
/// frame, "&lt;signal handler called&gt;", which also lets gdb cross from the NMI or IRQ stack to the
/// stack below);</item>
/// <item>where the ORC walk ends cleanly, gdb's kernel frames are exactly its frames: gdb may only go on
/// into user space (the user-mode pt_regs' RIP, which the kernel's unwinder never follows; gdb has no
/// rule that stops at a user-mode CS), and once in user space it does not come back;</item>
/// <item>where the ORC walk fails (the kernel's checks: a stack pointer that does not rise on the
/// same stack, a stack it does not know), gdb, which checks neither, may go further: the test
/// prints where.</item>
/// </list>
/// One gdb process reads all the cores (<c>core-file</c> switches between them).
/// </summary>
[TestFixture]
public sealed class GdbOrcSweepTests
{
    private const int Every = 9;

    private string dir = null!;

    [OneTimeSetUp]
    public void MakeDirectory() => dir = Directory.CreateTempSubdirectory("entrymodel-orc-sweep-").FullName;

    [OneTimeTearDown]
    public void DeleteDirectory() => Directory.Delete(dir, recursive: true);

    public static IEnumerable<string> Scenarios => ScenarioCatalog.Names;

    [TestCaseSource(nameof(Scenarios))]
    public void Gdb_gives_every_frame_the_orc_unwinder_gives_at_every_sampled_kernel_point(string scenarioName)
    {
        var image = ExportedImages.Image("orc");
        var unwinder = UnwinderCatalog.Create("orc", UnwindImage.For(image));
        var points = CoreSweep.Take(image, scenarioName, Every, dir);
        var backtraces = CoreSweep.Backtraces(image, points);

        var failures = new List<string>();
        int same = 0, intoUser = 0, further = 0;
        for (int i = 0; i < points.Count; i++)
        {
            var (rip, _, capture, _) = points[i];
            var orc = ModelFrames.AsGdbWithSignalFrames(ModelFrames.Unwound(image, "orc", capture));
            var trace = UnwindTrace.Collect(unwinder, capture.Start);
            var gdb = backtraces[i];
            var kernel = gdb.KernelFunctions;
            var rest = gdb.UserFrames;
            string where = $"{ModelFrames.Name(image, rip)} 0x{rip:x}: orc [{string.Join(" ", orc)}] {(trace.Done ? "done" : trace.Error.ToString())}; gdb {gdb}";
            if (!kernel.Take(orc.Count).SequenceEqual(orc))
            {
                failures.Add("gdb lacks an ORC frame at " + where);
            }
            else if (trace.Done && kernel.Count != orc.Count)
            {
                failures.Add("gdb has kernel frames past the ORC walk's clean end at " + where);
            }
            else if (rest.Any(f => f.IsKernel))
            {
                failures.Add("gdb comes back from user space at " + where);
            }

            same += kernel.SequenceEqual(orc) && rest.Count == 0 ? 1 : 0;
            intoUser += rest.Count > 0 ? 1 : 0;
            if (!trace.Done && kernel.Count > orc.Count)
            {
                further++;
                TestContext.Out.WriteLine("gdb goes further than the failed ORC walk: " + where);
            }
        }

        TestContext.Out.WriteLine($"{points.Count} kernel points: {same} the same, {intoUser} where gdb goes on into user space, {further} where gdb goes past a failed ORC walk");
        Assert.That(points, Has.Count.GreaterThan(30));
        Assert.That(failures, Is.Empty, string.Join('\n', failures.Take(20)));
    }
}
