using EntryModel.Oracles.Tests.Differential;
using static Iced.Intel.AssemblerRegisters;

namespace EntryModel.Oracles.Tests.HostCpu;

/// <summary>Known-answer checks of the host-CPU harness (oracle: the host CPU).</summary>
[TestFixture]
[NonParallelizable]
public sealed class HostCpuExecutorTests
{
    [Test]
    public void Registers_flags_memory_and_stack_come_back_from_the_processor()
    {
        using var host = new HostCpuExecutor();
        SandboxState initial = KnownAnswer.Initial();
        SandboxState final = host.Run(KnownAnswer.Code(), initial);
        KnownAnswer.Verify(initial, final);
    }

    [Test]
    public void Input_flags_reach_the_sequence_and_every_register_round_trips()
    {
        using var host = new HostCpuExecutor();
        var initial = new SandboxState { Rflags = (ulong)(RflagsBits.Carry | RflagsBits.Overflow) };
        for (int i = 0; i < SandboxState.RegisterCount; i++)
        {
            initial.Registers[i] = 0x0101_0101_0101_0101UL * (ulong)(i + 1);
        }

        initial.Registers[SandboxState.RspIndex] = SandboxLayout.StackTop;

        // setc/seto read the flags that the prologue loaded; nothing else changes.
        SandboxState final = host.Run(SequenceCode.Assemble(a => { a.setb(al); a.seto(cl); }), initial);

        Assert.That(final.Registers[0], Is.EqualTo((initial.Registers[0] & ~0xFFUL) | 1));
        Assert.That(final.Registers[1], Is.EqualTo((initial.Registers[1] & ~0xFFUL) | 1));
        Assert.That(final.Registers[2..], Is.EqualTo(initial.Registers[2..]));
        Assert.That(final.Rflags & (ulong)RflagsBits.Compared, Is.EqualTo((ulong)(RflagsBits.Carry | RflagsBits.Overflow)));
    }

    [Test]
    public void A_second_executor_is_refused_while_the_first_lives()
    {
        using var host = new HostCpuExecutor();
        Assert.That(() => new HostCpuExecutor(), Throws.InvalidOperationException);
    }
}
