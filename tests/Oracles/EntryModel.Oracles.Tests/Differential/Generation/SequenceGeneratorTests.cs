using EntryModel.Oracles.Tests.Unicorn;

namespace EntryModel.Oracles.Tests.Differential.Generation;

/// <summary>The corpus generator: reproducible, covers its whole table, keeps its safety promises (checked on Unicorn, which cannot crash the test process).</summary>
[TestFixture]
public sealed class SequenceGeneratorTests
{
    [Test]
    public void A_seed_regenerates_the_same_sequence_and_state()
    {
        GeneratedSequence first = SequenceGenerator.Generate(4242);
        GeneratedSequence again = SequenceGenerator.Generate(4242);
        GeneratedSequence other = SequenceGenerator.Generate(4243);

        Assert.That(again.Code, Is.EqualTo(first.Code));
        Assert.That(again.Initial.Registers, Is.EqualTo(first.Initial.Registers));
        Assert.That(again.Initial.Data, Is.EqualTo(first.Initial.Data));
        Assert.That(other.Code, Is.Not.EqualTo(first.Code));
    }

    [Test]
    public void Every_form_in_the_table_is_generated()
    {
        var seen = new HashSet<string>();
        foreach (GeneratedSequence sequence in SequenceGenerator.Corpus(1, 20_000))
        {
            seen.UnionWith(sequence.EmittedForms);
        }

        string[] missing = [.. InstructionForms.All.Select(f => f.Name).Where(name => !seen.Contains(name))];
        Assert.That(missing, Is.Empty, $"{InstructionForms.All.Count} forms in the table");
    }

    [Test]
    public void Sequences_never_write_the_base_register_and_keep_the_stack_balanced_to_their_depth()
    {
        using var unicorn = new UnicornExecutor();
        foreach (GeneratedSequence sequence in SequenceGenerator.Corpus(777, 2_000))
        {
            SandboxState final = unicorn.Run(sequence.Code, sequence.Initial);

            Assert.That(final.Registers[sequence.BaseRegisterIndex], Is.EqualTo(sequence.Initial.Registers[sequence.BaseRegisterIndex]), sequence.Describe());
            Assert.That(final.Registers[SandboxState.RspIndex], Is.EqualTo(SandboxLayout.StackTop - (ulong)sequence.StackDepthAtEnd), sequence.Describe());
        }
    }

    [Test]
    public void A_description_names_the_seed_and_lists_the_code_in_att_syntax()
    {
        GeneratedSequence sequence = SequenceGenerator.Generate(99);

        string text = sequence.Describe();

        Assert.That(text, Does.Contain("seed 99"));
        Assert.That(text, Does.Contain(SequenceCode.FormatOne(sequence.Instructions[0])));
        Assert.That(text, Does.Contain("%rsp = 0x"));
    }
}
