using EntryModel.Oracles.Tests.Differential;
using static Iced.Intel.AssemblerRegisters;

namespace EntryModel.Oracles.Tests.Unicorn;

/// <summary>Known-answer checks of the Unicorn executor (oracle: Unicorn, libunicorn2).</summary>
[TestFixture]
public sealed class UnicornExecutorTests
{
    [Test]
    public void Registers_flags_memory_and_stack_come_back_from_unicorn()
    {
        using var unicorn = new UnicornExecutor();
        SandboxState initial = KnownAnswer.Initial();
        SandboxState final = unicorn.Run(KnownAnswer.Code(), initial);
        KnownAnswer.Verify(initial, final);
    }

    [Test]
    public void New_code_at_the_same_address_replaces_the_translated_old_code()
    {
        using var unicorn = new UnicornExecutor();
        var initial = new SandboxState();
        initial.Registers[SandboxState.RspIndex] = SandboxLayout.StackTop;

        SandboxState first = unicorn.Run(SequenceCode.Assemble(a => a.mov(eax, 1)), initial);
        SandboxState second = unicorn.Run(SequenceCode.Assemble(a => a.mov(eax, 2)), initial);

        Assert.That((first.Registers[0], second.Registers[0]), Is.EqualTo((1UL, 2UL)));
    }
}
