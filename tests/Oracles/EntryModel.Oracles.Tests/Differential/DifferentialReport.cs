using System.Globalization;
using System.Text;
using EntryModel.Oracles.Tests.Differential.Generation;
using EntryModel.Oracles.Tests.HostCpu;

namespace EntryModel.Oracles.Tests.Differential;

/// <summary>Collects disagreements over a corpus and prints the first few in full (seed, AT&amp;T listing, state, differences).</summary>
public sealed class DifferentialReport(string expectedName, string actualName)
{
    private const int CasesShownInFull = 5;
    private readonly StringBuilder details = new();
    private readonly Dictionary<string, int> failuresByFirstForm = [];

    public int Sequences { get; private set; }

    /// <summary>Lowest and highest seed seen, so the report names the corpus it covers.</summary>
    private (int Low, int High) seeds = (int.MaxValue, int.MinValue);

    public int Failures { get; private set; }

    public void Add(GeneratedSequence sequence, IReadOnlyList<string> differences, GeneratedSequence? firstFailingPrefix = null)
    {
        Sequences++;
        seeds = (Math.Min(seeds.Low, sequence.Seed), Math.Max(seeds.High, sequence.Seed));
        if (differences.Count == 0)
        {
            return;
        }

        Failures++;
        string form = firstFailingPrefix is { } prefix ? prefix.FormNames[^1] : "(not narrowed)";
        failuresByFirstForm[form] = failuresByFirstForm.GetValueOrDefault(form) + 1;
        if (Failures <= CasesShownInFull)
        {
            details.Append(CultureInfo.InvariantCulture, $"--- {expectedName} vs {actualName}, ");
            details.Append(sequence.Describe());
            details.Append(CultureInfo.InvariantCulture, $"differences ({expectedName} value vs {actualName} value):\n");
            foreach (string difference in differences)
            {
                details.Append("  ").Append(difference).Append('\n');
            }

            if (firstFailingPrefix is { } shortest && shortest.Instructions.Count < sequence.Instructions.Count)
            {
                details.Append(CultureInfo.InvariantCulture,
                    $"first disagreement after instruction {shortest.Instructions.Count}: {SequenceCode.FormatOne(shortest.Instructions[^1])} ({shortest.FormNames[^1]})\n");
            }
            else if (firstFailingPrefix is not null)
            {
                details.Append(CultureInfo.InvariantCulture,
                    $"first disagreement after the last instruction: {SequenceCode.FormatOne(sequence.Instructions[^1])} ({sequence.FormNames[^1]})\n");
            }
        }
    }

    /// <summary>How many failing sequences first go wrong at each instruction form: where to look first.</summary>
    public IReadOnlyDictionary<string, int> FailuresByFirstForm => failuresByFirstForm;

    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture,
            $"{Failures} of {Sequences} sequences differ between {expectedName} and {actualName} " +
            $"(host: {HostCpuInfo.Vendor} {HostCpuInfo.ModelName}; seeds {seeds.Low}..{seeds.High}).\n");
        if (failuresByFirstForm.Count > 0)
        {
            text.Append("failing sequences by the form of their first disagreeing instruction:\n");
            foreach ((string form, int count) in failuresByFirstForm.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal))
            {
                text.Append(CultureInfo.InvariantCulture, $"  {count,5}  {form}\n");
            }
        }

        return text.Append(details).ToString();
    }
}
