using EntryModel.Machine.Execution;
using EntryModel.Scenarios.Running;
using EntryModel.Unwinding;

namespace EntryModel.Analysis.Sweep;

/// <summary>
/// Injects an event at every instruction boundary of a scenario's run and judges what each of the
/// image's unwinders makes of it. The reference run gives the boundaries; the points of this
/// process's shard are spread over threads in chunks, each thread with its own machine; every
/// point's result depends on its boundary alone, so neither threads nor shards change the result.
/// </summary>
public static class InterruptSweep
{
    /// <summary>Points a thread takes at a time: long enough to reuse its snapshots, short enough to balance the load.</summary>
    private const int Chunk = 128;

    /// <summary>The scenario's session as the sweep prepares it (for preemption, with a worker thread to switch to), ready to run.</summary>
    public static ScenarioSession Prepare(SweepRequest request) => SweepWorker.Prepare(request);

    /// <summary>The reference run: the scenario as the sweep prepares it, run to its end without an injected event.</summary>
    public static (StopReason Stop, bool AsExpected) Reference(SweepRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var session = SweepWorker.Prepare(request);
        var stop = session.Run();
        return (stop, request.Scenario.Conclude(session, stop).OutcomeAsExpected);
    }

    /// <summary>Runs the sweep; <paramref name="progress"/> hears how many of the shard's points are done (from any thread).</summary>
    public static SweepResult Run(SweepRequest request, Action<long, long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Nested && request.Event == SweepEvent.Nmi)
        {
            throw new ArgumentException("an NMI handler cannot be interrupted: NMIs stay blocked and interrupts off until its IRETQ; nest under timer or preempt", nameof(request));
        }

        var (reference, asExpected) = Reference(request);
        if (reference.Kind != StopKind.PowerOff || !asExpected)
        {
            throw new InvalidOperationException($"the scenario {request.Scenario.Name} does not reach its expected outcome without events ({reference}); nothing to sweep");
        }

        long total = reference.Instructions;
        long budget = (2 * total) + 100_000;
        var unwinders = UnwinderCatalog.For(request.Image);
        var shard = request.ShardOrWhole;
        long[] boundaries = [.. LongRange(total).Where(shard.Contains)];
        var points = new SweepPoint[boundaries.Length][];
        bool fold = request.Event == SweepEvent.Nmi || request.Nested;
        var foldedByChunk = new Dictionary<string, long>[(boundaries.Length + Chunk - 1) / Chunk][];
        long done = 0;

        using var workers = new ThreadLocal<SweepWorker>(() => new SweepWorker(request, unwinders, budget));
        var options = new ParallelOptions { MaxDegreeOfParallelism = request.ThreadCount };
        Parallel.For(0, foldedByChunk.Length, options, chunk =>
        {
            var worker = workers.Value!;
            var folded = fold ? NewFolded(unwinders.Count) : null;
            int end = Math.Min(boundaries.Length, (chunk + 1) * Chunk);
            for (int i = chunk * Chunk; i < end; i++)
            {
                points[i] = request.Nested ? [.. worker.RunNested(boundaries[i], folded)] : [worker.Run(boundaries[i], folded)];
            }

            foldedByChunk[chunk] = folded ?? [];
            long now = Interlocked.Add(ref done, end - (chunk * Chunk));
            progress?.Invoke(now, boundaries.Length);
        });

        return new SweepResult(request.Scenario.Name, request.Image.Strategy, request.Event, request.Nested, shard.ToString(), total, unwinders, [.. points.SelectMany(p => p)], Sum(foldedByChunk, unwinders, fold));
    }

    /// <summary>One point alone: where the event struck, how the run ended, and the sample the unwinders are judged on.</summary>
    public static (ulong Rip, SweepFailure Failure, StackCapture? Sample) CaptureAt(SweepRequest request, long boundary)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (reference, _) = Reference(request);
        var worker = new SweepWorker(request, UnwinderCatalog.For(request.Image), (2 * reference.Instructions) + 100_000);
        return worker.Sample(boundary);
    }

    private static IEnumerable<long> LongRange(long count)
    {
        for (long i = 0; i < count; i++)
        {
            yield return i;
        }
    }

    private static Dictionary<string, long>[] NewFolded(int unwinders) =>
        [.. Enumerable.Range(0, unwinders + 1).Select(_ => new Dictionary<string, long>(StringComparer.Ordinal))];

    private static SortedDictionary<string, SortedDictionary<string, long>> Sum(Dictionary<string, long>[][] chunks, IReadOnlyList<string> unwinders, bool fold)
    {
        var result = new SortedDictionary<string, SortedDictionary<string, long>>(StringComparer.Ordinal);
        if (!fold)
        {
            return result;
        }

        string[] names = [.. unwinders, SweepResult.Truth];
        foreach (string name in names)
        {
            result[name] = new SortedDictionary<string, long>(StringComparer.Ordinal);
        }

        foreach (var chunk in chunks)
        {
            for (int u = 0; u < chunk.Length; u++)
            {
                foreach (var (stack, n) in chunk[u])
                {
                    result[names[u]][stack] = result[names[u]].GetValueOrDefault(stack) + n;
                }
            }
        }

        return result;
    }
}
