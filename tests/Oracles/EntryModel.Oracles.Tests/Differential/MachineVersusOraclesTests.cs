using EntryModel.Oracles.Tests.Differential.Generation;
using EntryModel.Oracles.Tests.HostCpu;
using EntryModel.Oracles.Tests.Unicorn;
using EntryModel.Oracles.Workloads;

namespace EntryModel.Oracles.Tests.Differential;

/// <summary>
/// Oracles: host CPU and Unicorn, judging the machine model on the generated corpus and on the
/// entry-and-handler workload. Only flags the SDM defines are compared (the machine follows the SDM;
/// what real processors do with undefined flags is not part of its contract).
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class MachineVersusOraclesTests
{
    [Test]
    public void Machine_agrees_with_the_host_cpu_on_the_generated_corpus()
    {
        using var host = new HostCpuExecutor();
        using var machine = new MachineSandboxExecutor();

        DifferentialReport report = DifferentialRun.Compare(
            host, machine, SequenceGenerator.Corpus(DifferentialCorpus.FirstSeed, DifferentialCorpus.Count, forms: InstructionForms.All), UndefinedFlagPolicy.SdmDefined);

        Assert.That(report.Failures, Is.Zero, report.ToString());
    }

    [Test]
    public void Machine_agrees_with_unicorn_on_the_generated_corpus()
    {
        using var unicorn = new UnicornExecutor();
        using var machine = new MachineSandboxExecutor();

        // A different slice of seeds from the host comparison, so the two oracles see different cases.
        DifferentialReport report = DifferentialRun.Compare(
            unicorn, machine, SequenceGenerator.Corpus(DifferentialCorpus.FirstSeed + DifferentialCorpus.Count, DifferentialCorpus.Count, forms: InstructionForms.ForUnicorn), UndefinedFlagPolicy.SdmDefined);

        Assert.That(report.Failures, Is.Zero, report.ToString());
    }

    [Test]
    public void Machine_agrees_with_both_oracles_on_entry_and_handler_code()
    {
        EntryHandlerWorkload workload = EntryHandlerWorkload.Build(SandboxLayout.SequenceAddress);
        SandboxState initial = EntryHandlerWorkloadTests.Initial();
        using var host = new HostCpuExecutor();
        using var unicorn = new UnicornExecutor();
        using var machine = new MachineSandboxExecutor();

        SandboxState onMachine = machine.Run(workload.Code, initial);

        Assert.That(StateComparison.Differences(host.Run(workload.Code, initial), onMachine, RflagsBits.Compared), Is.Empty, "host CPU vs machine");
        Assert.That(StateComparison.Differences(unicorn.Run(workload.Code, initial), onMachine, RflagsBits.Compared), Is.Empty, "Unicorn vs machine");
    }
}
