namespace EntryModel.Oracles.Tests.Differential;

/// <summary>The comparison must see every kind of difference and ignore only the flags it is told to.</summary>
[TestFixture]
public sealed class StateComparisonTests
{
    [Test]
    public void Identical_states_have_no_differences()
    {
        var state = new SandboxState { Rflags = 0x8D5 };
        Assert.That(StateComparison.Differences(state, state.Clone(), RflagsBits.Compared), Is.Empty);
    }

    [Test]
    public void Registers_flags_data_and_stack_differences_are_all_reported()
    {
        var expected = new SandboxState();
        SandboxState actual = expected.Clone();
        actual.Registers[13] = 1;
        actual.Rflags = (ulong)RflagsBits.Parity;
        actual.Data[7] = 9;
        actual.StackWindow[0] = 1;

        IReadOnlyList<string> differences = StateComparison.Differences(expected, actual, RflagsBits.Compared);

        Assert.That(differences, Has.Count.EqualTo(4));
        Assert.That(differences[0], Does.StartWith("%r13"));
        Assert.That(differences[1], Does.Contain("Parity"));
    }

    [Test]
    public void Masked_flags_are_ignored()
    {
        var expected = new SandboxState();
        SandboxState actual = expected.Clone();
        actual.Rflags = (ulong)RflagsBits.Adjust;

        Assert.That(StateComparison.Differences(expected, actual, RflagsBits.Compared & ~RflagsBits.Adjust), Is.Empty);
    }
}
