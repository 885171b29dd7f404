using System.Globalization;

namespace EntryModel.Analysis.Sweep;

/// <summary>
/// Which part of a sweep one process runs: points whose index is <see cref="Index"/> modulo
/// <see cref="Count"/> (interleaved, so every shard gets the same mix of cheap and costly points).
/// Batch schedulers give the index in the environment: Slurm array jobs in SLURM_ARRAY_TASK_ID,
/// Kubernetes Indexed Jobs in JOB_COMPLETION_INDEX.
/// </summary>
public readonly record struct SweepShard(int Index, int Count)
{
    public static SweepShard Whole { get; } = new(0, 1);

    public bool Contains(long point) => point % Count == Index;

    /// <summary>Parses <c>k/n</c> (0 &lt;= k &lt; n).</summary>
    public static bool TryParse(string text, out SweepShard shard, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        shard = Whole;
        error = null;
        string[] parts = text.Split('/');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int k)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n))
        {
            error = $"'{text}' is not a shard: write k/n, e.g. 0/4";
            return false;
        }

        if (n < 1 || k >= n)
        {
            error = $"shard {text}: need 0 <= k < n";
            return false;
        }

        shard = new SweepShard(k, n);
        return true;
    }

    /// <summary>
    /// The shard a batch scheduler assigned, with <paramref name="count"/> shards in all: the index
    /// from SLURM_ARRAY_TASK_ID, else JOB_COMPLETION_INDEX; null when neither is set.
    /// </summary>
    public static SweepShard? FromEnvironment(int count, Func<string, string?> environment, out string? error)
    {
        ArgumentNullException.ThrowIfNull(environment);
        error = null;
        foreach (string name in EnvironmentNames)
        {
            if (environment(name) is { Length: > 0 } value)
            {
                if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int k) || count < 1 || k >= count)
                {
                    error = $"{name}={value} is not a shard index below {count}";
                    return null;
                }

                return new SweepShard(k, count);
            }
        }

        return null;
    }

    /// <summary>The variables read, first match wins.</summary>
    public static IReadOnlyList<string> EnvironmentNames { get; } = ["SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX"];

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");
}
