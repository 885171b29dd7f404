using EntryModel.Oracles.Tests.Differential.Generation;

namespace EntryModel.Oracles.Tests.Differential;

/// <summary>
/// Runs a corpus on two executors and compares the final states. A disagreement is narrowed to the
/// shortest failing prefix, whose last instruction is where the executors first part ways.
/// </summary>
public static class DifferentialRun
{
    public const int MaximumFailuresNarrowed = 300;

    public static DifferentialReport Compare(
        ISandboxExecutor expected,
        ISandboxExecutor actual,
        IEnumerable<GeneratedSequence> corpus,
        Func<GeneratedSequence, RflagsBits> flagsToCompare)
    {
        var report = new DifferentialReport(expected.Name, actual.Name);
        foreach (GeneratedSequence sequence in corpus)
        {
            IReadOnlyList<string> differences = Differences(expected, actual, sequence, flagsToCompare);
            // Narrowing re-runs every prefix; past a few hundred failures the tally has made its point.
            GeneratedSequence? firstFailingPrefix = differences.Count == 0 || report.Failures >= MaximumFailuresNarrowed
                ? null
                : ShortestFailingPrefix(expected, actual, sequence, flagsToCompare);
            report.Add(sequence, differences, firstFailingPrefix);
        }

        return report;
    }

    public static IReadOnlyList<string> Differences(
        ISandboxExecutor expected, ISandboxExecutor actual, GeneratedSequence sequence, Func<GeneratedSequence, RflagsBits> flagsToCompare)
    {
        SandboxState onExpected = expected.Run(sequence.Code, sequence.Initial);
        try
        {
            SandboxState onActual = actual.Run(sequence.Code, sequence.Initial);
            return StateComparison.Differences(onExpected, onActual, flagsToCompare(sequence));
        }
        catch (SandboxRunException stopped)
        {
            return [$"{actual.Name} did not run to the end: {stopped.Message}"];
        }
    }

    private static GeneratedSequence ShortestFailingPrefix(
        ISandboxExecutor expected, ISandboxExecutor actual, GeneratedSequence sequence, Func<GeneratedSequence, RflagsBits> flagsToCompare)
    {
        for (int count = 1; count < sequence.Instructions.Count; count++)
        {
            GeneratedSequence prefix = sequence.Prefix(count);
            if (Differences(expected, actual, prefix, flagsToCompare).Count > 0)
            {
                return prefix;
            }
        }

        return sequence;
    }
}
