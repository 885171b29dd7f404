using EntryModel.Analysis.Sweep;
using EntryModel.Scenarios.Catalog;
using EntryModel.Scenarios.Judging;
using EntryModel.Unwinding;

namespace EntryModel.Analysis.Tests.Sweep;

/// <summary>
/// The sweep over every scenario, strategy and event of the default model. The oracle is the
/// machine's ground truth, which the sweep compares every unwinder's walk with at every point.
/// </summary>
public class InterruptSweepTests
{
    /// <summary>The unwinders livepatch could trust on their strategies: they must never vouch for a wrong trace.</summary>
    private static readonly string[] ReliableUnwinders = ["frame-encoded", "frame-ptregs", "orc", "task-flag"];

    private static IEnumerable<TestCaseData> Sweeps() =>
        from scenario in ScenarioCatalog.Names
        from strategy in StrategyCatalog.Names
        from e in new[] { SweepEvent.Timer, SweepEvent.Preempt, SweepEvent.Nmi }
        select new TestCaseData(scenario, strategy, e).SetName($"{scenario} {strategy} {e.Name()}");

    [TestCaseSource(nameof(Sweeps))]
    public void Every_point_is_transparent_and_no_unwinder_vouches_for_a_wrong_trace(string scenario, string strategy, SweepEvent e)
    {
        var result = Sweep(scenario, strategy, e);
        var failures = result.Failures();

        Assert.That(failures.Keys.Where(f => f != SweepFailure.NoSample), Is.Empty, string.Join(", ", failures));
        Assert.That(result.Samples, Is.GreaterThan(result.Points.Count / 2), "most points give a sample");
        Assert.That(result.Points, Has.Count.EqualTo(result.ReferenceInstructions), "one point per boundary");
        foreach (var tally in result.Tallies())
        {
            Assert.That(tally.WrongWhileReliable, Is.Zero, $"{tally.Unwinder} vouched for a wrong trace");
            Assert.That(tally.Samples, Is.EqualTo(result.Samples));
        }
    }

    /// <summary>Where the strategy is made for livepatch, its reliable unwinder vouches at least where the walk reaches user mode cleanly.</summary>
    [TestCase("pt-regs-frame", "frame-ptregs")]
    [TestCase("encoded-rbp", "frame-encoded")]
    [TestCase("orc", "orc")]
    public void The_strategys_own_unwinder_is_exact_at_almost_every_timer_point(string strategy, string unwinder)
    {
        var result = Sweep("read-page-fault", strategy, SweepEvent.Timer);
        var tally = result.Tallies().Single(t => t.Unwinder == unwinder);

        Assert.That(tally.Exact, Is.GreaterThan(result.Samples * 9 / 10));
        Assert.That(tally.Vouched, Is.Positive);
        Assert.That(result.Tallies().Single(t => t.Unwinder == "guess").Exact, Is.Zero, "the scan always shows '?' entries or stale words");
    }

    /// <summary>
    /// The seed thread's complaint, at one point: a timer inside a function that has set up its frame.
    /// Without pt_regs marking the frame walk goes from the handler's frames to the interrupted
    /// function's caller; the interrupted function itself (saved only in pt_regs->ip) is lost.
    /// </summary>
    [Test]
    public void Under_none_the_frame_walk_skips_the_interrupted_function()
    {
        var request = new SweepRequest(Scenario("read-page-fault"), Image("none"), SweepEvent.Timer);
        var image = request.Image;
        var symbols = image.Symbols;
        long boundary = FirstBoundaryInside(request, "generic_file_read_iter", at: 0x20);
        var (rip, failure, sample) = InterruptSweep.CaptureAt(request, boundary);
        Assert.That(failure, Is.EqualTo(SweepFailure.None));
        Assert.That(symbols.TryLookup(rip, out var interrupted, out _) ? interrupted.Name : null, Is.EqualTo("generic_file_read_iter"));

        var judge = new StackJudge(image);
        var truth = sample!.GroundTruth.Select(ExpectedFrame.Of).ToList();
        var frames = new List<UnwindFrame>();
        var (verdict, reliable) = judge.Verdicts(sample, UnwinderCatalog.Create("frame", judge.Image), StackJudge.Truth(sample), frames);
        var unwound = StackJudge.Reported(frames);

        Assert.That(truth.Any(f => f.Boundary && f.Ip == rip), Is.True, "the truth holds the interrupted RIP");
        Assert.That(unwound.Any(f => symbols.TryLookup(f.Boundary ? f.Ip : f.Ip - 1, out var s, out _) && s.Name == "generic_file_read_iter"), Is.False);
        Assert.That(unwound.Any(f => symbols.TryLookup(f.Ip - 1, out var s, out _) && s.Name == "__vfs_read"), Is.True, "the walk resumes at its caller");
        Assert.That(verdict, Is.EqualTo(TraceVerdict.Wrong));
        Assert.That(reliable, Is.EqualTo(ReliableVerdict.Refused));
    }

    [Test]
    public void Results_do_not_depend_on_the_thread_count()
    {
        var one = InterruptSweep.Run(new SweepRequest(Scenario("nmi-in-irq"), Image("pt-regs-frame"), SweepEvent.Nmi, Threads: 1));
        var two = InterruptSweep.Run(new SweepRequest(Scenario("nmi-in-irq"), Image("pt-regs-frame"), SweepEvent.Nmi, Threads: 2));

        Assert.That(two.ToJson(), Is.EqualTo(one.ToJson()));
    }

    /// <summary>An NMI at every boundary of the first event's handler: inside IRQ entry, where real unwinders have broken.</summary>
    [TestCase("preempted-task", "orc", SweepEvent.Timer)]
    [TestCase("preempted-task", "encoded-rbp", SweepEvent.Preempt)]
    [TestCase("preempted-task", "pt-regs-frame", SweepEvent.Timer)]
    public void Nested_nmis_inside_the_first_handler_are_transparent_and_never_wrong_while_reliable(string scenario, string strategy, SweepEvent first)
    {
        var result = InterruptSweep.Run(new SweepRequest(Scenario(scenario), Image(strategy), first, Nested: true));
        var nested = result.Points.Where(p => p.Nested > 0).ToList();

        Assert.That(result.Failures().Keys.Where(f => f != SweepFailure.NoSample), Is.Empty, string.Join(", ", result.Failures()));
        Assert.That(nested, Has.Count.GreaterThan(10 * result.ReferenceInstructions), "dozens of NMIs in every handler");
        Assert.That(nested.Select(p => p.Boundary).Distinct().Count(), Is.GreaterThan(result.ReferenceInstructions / 2));
        Assert.That(result.Tallies().Select(t => t.WrongWhileReliable), Is.All.Zero);
        Assert.That(result.Folded[SweepResult.Truth].Values.Sum(), Is.EqualTo(nested.Count(p => p.Failure == SweepFailure.None)), "every nested sample is a profile sample");
    }

    /// <summary>What perf would see, as flame-graph tools read it: one folded file per unwinder and one of the truth, a line per distinct stack.</summary>
    [Test]
    public void An_nmi_sweep_writes_folded_stacks_whose_counts_are_the_samples()
    {
        string dir = Directory.CreateTempSubdirectory("entrymodel-folded-").FullName;
        try
        {
            using var output = new StringWriter();
            using var error = new StringWriter();
            int code = Cli.EntryModelCli.Run(["sweep", "preempted-task", "--strategy", "orc", "--event", "nmi", "--folded", dir], output, error);
            Assert.That(code, Is.Zero, error.ToString());

            var files = Directory.GetFiles(dir).Select(Path.GetFileName).Order().ToList();
            Assert.That(files, Is.EqualTo(new[] { "guess.folded", "orc.folded", "truth.folded" }));
            var truth = File.ReadAllLines(Path.Combine(dir, "truth.folded"));
            long samples = truth.Sum(l => long.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
            var result = Sweep("preempted-task", "orc", SweepEvent.Nmi);
            Assert.That(samples, Is.EqualTo(result.Samples));
            Assert.That(truth, Has.Some.StartsWith("ret_from_fork;kthread_spin"), "thread A spinning, called from ret_from_fork");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>One point in detail: every unwinder's walk beside the truth, as <c>run</c> prints a dump.</summary>
    [Test]
    public void Sweep_at_one_boundary_prints_each_unwinders_walk_beside_the_truth()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = Cli.EntryModelCli.Run(["sweep", "read-page-fault", "--strategy", "pt-regs-frame", "--event", "timer", "--at", "1500"], output, error);
        string text = output.ToString();

        Assert.That(code, Is.Zero, error.ToString());
        Assert.That(text, Does.StartWith("timer at boundary 1500 of read-page-fault under pt-regs-frame, interrupting "));
        Assert.That(text, Does.Contain("unwinder frame-ptregs:"));
        Assert.That(text, Does.Contain("beside ground truth: exact"));
        Assert.That(Cli.EntryModelCli.Run(["sweep", "read-page-fault", "--strategy", "none", "--event", "timer", "--at", "99999"], output, error), Is.EqualTo(2));
        Assert.That(Cli.EntryModelCli.Run(["sweep", "read-page-fault", "--event", "timer", "--at", "5"], output, error), Is.EqualTo(2), "one strategy only");
    }

    [Test]
    public void Nested_sweeps_refuse_an_nmi_as_the_first_event()
    {
        var request = new SweepRequest(Scenario("read-page-fault"), Image("none"), SweepEvent.Nmi, Nested: true);

        Assert.That(() => InterruptSweep.Run(request), Throws.ArgumentException.With.Message.Contains("NMI handler cannot be interrupted"));
    }

    internal static SweepResult Sweep(string scenario, string strategy, SweepEvent e, SweepShard? shard = null) =>
        InterruptSweep.Run(new SweepRequest(Scenario(scenario), Image(strategy), e, Shard: shard));

    internal static Scenarios.Running.IScenario Scenario(string name)
    {
        Assert.That(ScenarioCatalog.TryGet(name, out var scenario), Is.True);
        return scenario;
    }

    internal static KernelImage Image(string strategy)
    {
        Assert.That(StrategyCatalog.TryGet(strategy, out var image), Is.True);
        return image;
    }

    /// <summary>The first boundary of the reference run where RIP is at <paramref name="symbol"/>+<paramref name="at"/>.</summary>
    private static long FirstBoundaryInside(SweepRequest request, string symbol, ulong at)
    {
        var session = InterruptSweep.Prepare(request);
        ulong target = request.Image.Symbols[symbol].Address + at;
        session.RunUntil(symbol);
        while (session.Machine.Cpu.Rip != target)
        {
            Assert.That(session.Machine.Step().Kind, Is.EqualTo(Machine.Execution.StopKind.InstructionCount));
        }

        return session.Machine.Retired;
    }
}
