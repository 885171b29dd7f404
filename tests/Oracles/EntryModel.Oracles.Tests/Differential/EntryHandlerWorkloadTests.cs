using EntryModel.Oracles.Tests.HostCpu;
using EntryModel.Oracles.Tests.Unicorn;
using EntryModel.Oracles.Workloads;

namespace EntryModel.Oracles.Tests.Differential;

/// <summary>
/// Oracles: host CPU and Unicorn, on the entry-and-handler code the benchmarks time (calls, returns,
/// a pt_regs-sized push/pop block, memory updates through a pointer). Same harness as the corpus.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class EntryHandlerWorkloadTests
{
    private const int Iterations = 3;

    [Test]
    public void The_workload_fits_the_sandbox_stack_window()
    {
        Assert.That(EntryHandlerWorkload.StackBytesUsed, Is.LessThanOrEqualTo(SandboxLayout.StackWindowSize));
    }

    [Test]
    public void Host_cpu_and_unicorn_agree_on_entry_and_handler_code()
    {
        EntryHandlerWorkload workload = EntryHandlerWorkload.Build(SandboxLayout.SequenceAddress);
        SandboxState initial = Initial();
        using var host = new HostCpuExecutor();
        using var unicorn = new UnicornExecutor();

        SandboxState onHost = host.Run(workload.Code, initial);
        SandboxState onUnicorn = unicorn.Run(workload.Code, initial);

        Assert.That(StateComparison.Differences(onHost, onUnicorn, RflagsBits.Compared), Is.Empty);
        // The handler counts its calls in the first data qword, and every GPR but the counter is restored.
        Assert.That(BitConverter.ToUInt64(onHost.Data, 0), Is.EqualTo(BitConverter.ToUInt64(initial.Data, 0) + Iterations));
        Assert.That(onHost.Registers[EntryHandlerWorkload.CounterRegisterIndex], Is.Zero);
        Assert.That(onHost.Registers[3], Is.EqualTo(initial.Registers[3]), "%rbx restored by POP_REGS");
    }

    /// <summary>The initial state the workload starts from in the sandbox.</summary>
    public static SandboxState Initial()
    {
        var state = new SandboxState { Rflags = (ulong)RflagsBits.Carry };
        EntryHandlerWorkload.InitialRegisters(Iterations, SandboxLayout.DataAddress, SandboxLayout.StackTop).CopyTo(state.Registers, 0);
        state.Data[0] = 40;
        state.Data[16] = 7;
        return state;
    }
}
