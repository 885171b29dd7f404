using EntryModel.Analysis.Sweep;
using EntryModel.Scenarios.Catalog;
using EntryModel.Scenarios.Judging;
using EntryModel.Unwinding;

namespace EntryModel.Analysis.Tests.Sweep;

/// <summary>
/// The sweep judges each sample with one walk per unwinder (reliable mode judged over the same
/// frames, nothing allocated). The oracle is the report's own path: <see cref="StackJudge.Judge(Scenarios.Running.StackCapture, IUnwinder)"/>,
/// which walks twice (normal, then <see cref="Unwinding.Reliable.ReliableWalker.Walk"/>) and
/// compares collected traces. Both must give the same verdicts on real samples of every strategy,
/// and the folded stacks the sweep remembers must read as <see cref="FoldedStacks.Fold"/> writes them.
/// </summary>
public class SweepJudgingTests
{
    [TestCase("read-page-fault", SweepEvent.Timer)]
    [TestCase("read-page-fault", SweepEvent.Nmi)]
    [TestCase("preempted-task", SweepEvent.Preempt)]
    [TestCase("nmi-in-irq", SweepEvent.Nmi)]
    public void One_walk_judged_twice_gives_the_verdicts_of_two_collected_walks(string scenario, SweepEvent e)
    {
        int compared = 0;
        var reliableSeen = new HashSet<ReliableVerdict>();
        var traceSeen = new HashSet<TraceVerdict>();
        foreach (string strategy in StrategyCatalog.Names)
        {
            var request = new SweepRequest(InterruptSweepTests.Scenario(scenario), InterruptSweepTests.Image(strategy), e);
            long total = InterruptSweep.Reference(request).Stop.Instructions;
            var worker = new SweepWorker(request, UnwinderCatalog.For(request.Image), (2 * total) + 100_000);
            var judge = new StackJudge(request.Image);
            var frames = new List<UnwindFrame>();
            var folding = new FoldedStackCache(request.Image.Symbols);
            for (long boundary = 0; boundary < total; boundary += 13)
            {
                var (_, failure, sample) = worker.Sample(boundary);
                if (failure != SweepFailure.None || sample is null)
                {
                    continue;
                }

                var truth = StackJudge.Truth(sample);
                Assert.That(folding.Fold(truth), Is.EqualTo(FoldedStacks.Fold(truth, request.Image.Symbols)), $"{strategy} truth at {boundary}");
                foreach (string name in UnwinderCatalog.For(request.Image))
                {
                    var unwinder = UnwinderCatalog.Create(name, judge.Image);
                    var slow = judge.Judge(sample, unwinder);
                    var (verdict, reliable) = judge.Verdicts(sample, unwinder, truth, frames);

                    Assert.That((verdict, reliable), Is.EqualTo((slow.Verdict, slow.ReliableVerdict)), $"{strategy} {name} at {boundary}");
                    Assert.That(StackJudge.Reported(frames), Is.EqualTo(StackJudge.Reported(slow.Trace.Frames)), $"{strategy} {name} at {boundary}");
                    Assert.That(folding.Fold(frames), Is.EqualTo(FoldedStacks.Fold(StackJudge.Reported(frames), request.Image.Symbols)), $"{strategy} {name} folded at {boundary}");
                    traceSeen.Add(verdict);
                    reliableSeen.Add(reliable);
                    compared++;
                }
            }
        }

        Assert.That(compared, Is.GreaterThan(100));
        Assert.That(traceSeen, Is.SupersetOf(new[] { TraceVerdict.Exact, TraceVerdict.Wrong }), "the samples exercise more than one verdict");
        Assert.That(reliableSeen, Does.Contain(ReliableVerdict.Refused));
    }
}
