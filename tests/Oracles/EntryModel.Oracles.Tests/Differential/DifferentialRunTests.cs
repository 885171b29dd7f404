using EntryModel.Oracles.Tests.Differential.Generation;
using EntryModel.Oracles.Tests.Unicorn;
using Iced.Intel;

namespace EntryModel.Oracles.Tests.Differential;

/// <summary>The comparison loop itself must catch a wrong executor and point at the instruction where it goes wrong.</summary>
[TestFixture]
public sealed class DifferentialRunTests
{
    [Test]
    public void A_wrong_executor_is_caught_and_narrowed_to_the_first_bad_instruction()
    {
        using var unicorn = new UnicornExecutor();
        using var broken = new BrokenAfterThreeInstructions(new UnicornExecutor());
        GeneratedSequence[] corpus = [.. SequenceGenerator.Corpus(500, 200).Where(s => s.Instructions.Count >= 6).Take(10)];

        DifferentialReport report = DifferentialRun.Compare(unicorn, broken, corpus, UndefinedFlagPolicy.SdmDefined);

        Assert.That(report.Failures, Is.EqualTo(corpus.Length));
        Assert.That(report.ToString(), Does.Contain("first disagreement after instruction 4:"));
        Assert.That(report.ToString(), Does.Contain($"seed {corpus[0].Seed}"));
    }

    [Test]
    public void An_executor_that_stops_early_is_a_disagreement_not_a_crash()
    {
        using var unicorn = new UnicornExecutor();
        using var stopping = new StopsEarly();
        GeneratedSequence[] corpus = [.. SequenceGenerator.Corpus(900, 3)];

        DifferentialReport report = DifferentialRun.Compare(unicorn, stopping, corpus, UndefinedFlagPolicy.SdmDefined);

        Assert.That(report.Failures, Is.EqualTo(3));
        Assert.That(report.ToString(), Does.Contain("did not run to the end: modelled fault"));
    }

    /// <summary>Runs correctly, then corrupts %rax for code of more than three instructions.</summary>
    private sealed class BrokenAfterThreeInstructions(ISandboxExecutor inner) : ISandboxExecutor
    {
        public string Name => "broken";

        public SandboxState Run(ReadOnlySpan<byte> code, SandboxState initial)
        {
            SandboxState final = inner.Run(code, initial);
            if (CountInstructions(code) > 3)
            {
                final.Registers[0] ^= 0x10;
            }

            return final;
        }

        public void Dispose() => inner.Dispose();

        private static int CountInstructions(ReadOnlySpan<byte> code)
        {
            var decoder = Decoder.Create(64, new ByteArrayCodeReader(code.ToArray()), SandboxLayout.SequenceAddress);
            int count = 0;
            while (decoder.IP < SandboxLayout.SequenceAddress + (ulong)code.Length)
            {
                decoder.Decode(out _);
                count++;
            }

            return count;
        }
    }

    private sealed class StopsEarly : ISandboxExecutor
    {
        public string Name => "stopping";

        public SandboxState Run(ReadOnlySpan<byte> code, SandboxState initial) => throw new SandboxRunException("modelled fault");

        public void Dispose()
        {
        }
    }
}
