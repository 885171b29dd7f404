using EntryModel.Oracles.Tests.Differential.Generation;
using EntryModel.Oracles.Tests.HostCpu;
using EntryModel.Oracles.Tests.Unicorn;

namespace EntryModel.Oracles.Tests.Differential;

/// <summary>
/// Oracles: host CPU and Unicorn. Before either judges the machine model they must agree with each other
/// on the generated corpus; a disagreement means a harness bug (or a Unicorn bug worth knowing about).
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class HostCpuVersusUnicornTests
{
    [Test]
    public void Host_cpu_and_unicorn_agree_on_the_generated_corpus()
    {
        using var host = new HostCpuExecutor();
        using var unicorn = new UnicornExecutor();
        DifferentialReport report = DifferentialRun.Compare(
            host, unicorn, SequenceGenerator.Corpus(DifferentialCorpus.FirstSeed, DifferentialCorpus.Count, forms: InstructionForms.ForUnicorn), UndefinedFlagPolicy.HostVersusUnicorn);

        Assert.That(report.Failures, Is.Zero, report.ToString());
    }
}
