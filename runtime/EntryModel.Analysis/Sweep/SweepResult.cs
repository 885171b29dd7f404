using System.Text.Json;
using System.Text.Json.Serialization;

namespace EntryModel.Analysis.Sweep;

/// <summary>
/// What a sweep (or one shard of it) found: which sweep it was, how long the reference run is, the
/// unwinders judged, every point in boundary order, and for NMI sweeps the folded stacks each
/// unwinder reported and the true ones (<see cref="Truth"/>). Shards merge into the whole run's result.
/// </summary>
public sealed record SweepResult(
    string Scenario,
    string Strategy,
    SweepEvent Event,
    bool Nested,
    string Shard,
    long ReferenceInstructions,
    IReadOnlyList<string> Unwinders,
    IReadOnlyList<SweepPoint> Points,
    IReadOnlyDictionary<string, SortedDictionary<string, long>> Folded)
{
    /// <summary>The key of the true stacks in <see cref="Folded"/>.</summary>
    public const string Truth = "truth";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = false,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower), new SweepPointJson() },
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    /// <summary>Points that produced a sample every unwinder was judged on.</summary>
    public long Samples => Points.Count(p => p.Failure == SweepFailure.None);

    /// <summary>Each unwinder's counts, in <see cref="Unwinders"/> order.</summary>
    public IReadOnlyList<UnwinderTally> Tallies()
    {
        var counts = new long[Unwinders.Count, 5];
        foreach (var p in Points)
        {
            for (int u = 0; u < p.Classes.Length; u++)
            {
                counts[u, (int)p.Classes[u]]++;
                if (p.Vouched[u])
                {
                    counts[u, 4]++;
                }
            }
        }

        return [.. Unwinders.Select((name, u) => new UnwinderTally(name, counts[u, 0], counts[u, 1], counts[u, 2], counts[u, 3], counts[u, 4]))];
    }

    /// <summary>How many points ended each way (transparency failures, and points without a sample).</summary>
    public IReadOnlyDictionary<SweepFailure, long> Failures() =>
        Points.Where(p => p.Failure != SweepFailure.None).GroupBy(p => p.Failure).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => (long)g.Count());

    /// <summary>Samples whose reported stack, folded, differs from the true one: what a profile built on this unwinder misattributes.</summary>
    public double MisattributedPercent(string unwinder)
    {
        if (!Folded.TryGetValue(unwinder, out var reported) || !Folded.TryGetValue(Truth, out var truth))
        {
            return double.NaN;
        }

        long total = truth.Values.Sum();
        long agree = truth.Sum(t => Math.Min(t.Value, reported.GetValueOrDefault(t.Key)));
        return total == 0 ? double.NaN : 100.0 * (total - agree) / total;
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static SweepResult FromJson(string json)
    {
        var result = JsonSerializer.Deserialize<SweepResult>(json, Json) ?? throw new JsonException("empty sweep result");

        // The reader sorts by the culture's rules; stacks are ordered byte-wise wherever they are written.
        var folded = new SortedDictionary<string, SortedDictionary<string, long>>(StringComparer.Ordinal);
        foreach (var (who, stacks) in result.Folded)
        {
            folded[who] = new SortedDictionary<string, long>(stacks, StringComparer.Ordinal);
        }

        return result with { Folded = folded };
    }

    /// <summary>
    /// The shards of one sweep as the whole run's result: the same sweep, no point twice, and every
    /// shard of the count present; otherwise null with the reason.
    /// </summary>
    public static SweepResult? Merge(IReadOnlyList<SweepResult> shards, out string? error)
    {
        ArgumentNullException.ThrowIfNull(shards);
        error = null;
        if (shards.Count == 0)
        {
            error = "nothing to merge";
            return null;
        }

        var first = shards[0];
        foreach (var s in shards)
        {
            if (s.Scenario != first.Scenario || s.Strategy != first.Strategy || s.Event != first.Event || s.Nested != first.Nested
                || s.ReferenceInstructions != first.ReferenceInstructions || !s.Unwinders.SequenceEqual(first.Unwinders))
            {
                error = $"shard {s.Shard} is of another sweep ({s.Scenario}/{s.Strategy}/{s.Event.Name()}) than shard {first.Shard} ({first.Scenario}/{first.Strategy}/{first.Event.Name()})";
                return null;
            }
        }

        var parsed = new List<SweepShard>();
        foreach (var s in shards)
        {
            if (!SweepShard.TryParse(s.Shard, out var shard, out error))
            {
                return null;
            }

            parsed.Add(shard);
        }

        int count = parsed[0].Count;
        var indexes = parsed.Select(p => p.Index).Order().ToList();
        if (parsed.Any(p => p.Count != count) || !indexes.SequenceEqual(Enumerable.Range(0, count)))
        {
            error = $"shards {string.Join(", ", parsed)} are not each of 0/{count}..{count - 1}/{count} exactly once";
            return null;
        }

        var points = shards.SelectMany(s => s.Points).OrderBy(p => p.Boundary).ThenBy(p => p.Nested).ToList();
        var folded = new SortedDictionary<string, SortedDictionary<string, long>>(StringComparer.Ordinal);
        foreach (var s in shards)
        {
            foreach (var (who, stacks) in s.Folded)
            {
                var into = folded.TryGetValue(who, out var f) ? f : folded[who] = new SortedDictionary<string, long>(StringComparer.Ordinal);
                foreach (var (stack, n) in stacks)
                {
                    into[stack] = into.GetValueOrDefault(stack) + n;
                }
            }
        }

        return first with { Shard = SweepShard.Whole.ToString(), Points = points, Folded = folded };
    }
}
