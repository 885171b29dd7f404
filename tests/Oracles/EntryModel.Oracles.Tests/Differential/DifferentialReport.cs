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

    public int Sequences { get; private set; }

    public int Failures { get; private set; }

    public void Add(GeneratedSequence sequence, IReadOnlyList<string> differences, GeneratedSequence? firstFailingPrefix = null)
    {
        Sequences++;
        if (differences.Count == 0)
        {
            return;
        }

        Failures++;
        if (Failures <= CasesShownInFull)
        {
            details.Append(CultureInfo.InvariantCulture, $"--- {expectedName} vs {actualName}, ");
            details.Append(sequence.Describe());
            details.Append(CultureInfo.InvariantCulture, $"differences ({expectedName} value vs {actualName} value):\n");
            foreach (string difference in differences)
            {
                details.Append("  ").Append(difference).Append('\n');
            }

            if (firstFailingPrefix is { } prefix && prefix.Instructions.Count < sequence.Instructions.Count)
            {
                details.Append(CultureInfo.InvariantCulture,
                    $"first disagreement after instruction {prefix.Instructions.Count}: {SequenceCode.FormatOne(prefix.Instructions[^1])} ({prefix.FormNames[^1]})\n");
            }
            else if (firstFailingPrefix is not null)
            {
                details.Append(CultureInfo.InvariantCulture,
                    $"first disagreement after the last instruction: {SequenceCode.FormatOne(sequence.Instructions[^1])} ({sequence.FormNames[^1]})\n");
            }
        }
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture,
            $"{Failures} of {Sequences} sequences differ between {expectedName} and {actualName} " +
            $"(host: {HostCpuInfo.Vendor} {HostCpuInfo.ModelName}; corpus seeds from {DifferentialCorpus.FirstSeed}).\n") + details;
}
