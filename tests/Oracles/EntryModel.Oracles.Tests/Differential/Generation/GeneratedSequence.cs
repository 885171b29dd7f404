using System.Globalization;
using System.Text;
using Iced.Intel;

namespace EntryModel.Oracles.Tests.Differential.Generation;

/// <summary>One generated test case: its seed (enough to regenerate it), instructions, bytes and initial state.</summary>
public sealed class GeneratedSequence
{
    public GeneratedSequence(
        int seed,
        IReadOnlyList<Instruction> instructions,
        IReadOnlyList<string> formNames,
        SandboxState initial,
        int baseRegisterIndex,
        IReadOnlyList<FlagStatus> statusAfter,
        IReadOnlyList<string> emittedForms,
        int stackDepthAtEnd)
    {
        Seed = seed;
        Instructions = instructions;
        FormNames = formNames;
        Initial = initial;
        BaseRegisterIndex = baseRegisterIndex;
        StatusAfter = statusAfter;
        FlagStatus atEnd = statusAfter.Count > 0 ? statusAfter[^1] : FlagStatus.AllDefined;
        UndefinedFlagsAtEnd = atEnd.Undefined;
        UndefinedBy = atEnd.UndefinedBy;
        EmittedForms = emittedForms;
        StackDepthAtEnd = stackDepthAtEnd;
        Code = SequenceCode.Encode(instructions);
    }

    public int Seed { get; }

    public IReadOnlyList<Instruction> Instructions { get; }

    /// <summary>The table form each instruction came from (parallel to <see cref="Instructions"/>).</summary>
    public IReadOnlyList<string> FormNames { get; }

    public SandboxState Initial { get; }

    public int BaseRegisterIndex { get; }

    /// <summary>Status flags the SDM leaves undefined after the last instruction.</summary>
    public RflagsBits UndefinedFlagsAtEnd { get; }

    /// <summary>For each flag in <see cref="UndefinedFlagsAtEnd"/>, the instruction that last left it undefined.</summary>
    public IReadOnlyDictionary<RflagsBits, Mnemonic> UndefinedBy { get; }

    /// <summary>Flag status after each instruction (parallel to <see cref="Instructions"/>).</summary>
    public IReadOnlyList<FlagStatus> StatusAfter { get; }

    /// <summary>The table forms that contributed (a guarded divide is one form, several instructions).</summary>
    public IReadOnlyList<string> EmittedForms { get; }

    /// <summary>Bytes pushed and not popped: the final RSP is <see cref="SandboxLayout.StackTop"/> minus this (-1 for a prefix: not tracked).</summary>
    public int StackDepthAtEnd { get; }

    public byte[] Code { get; }

    /// <summary>
    /// The first <paramref name="count"/> instructions as a sequence of their own (same seed and initial
    /// state), for narrowing a disagreement down to the instruction where it starts.
    /// </summary>
    public GeneratedSequence Prefix(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Instructions.Count);
        // A forward branch (jrcxz, loop) is never the last instruction of a prefix: its target must exist.
        while (count < Instructions.Count && Instructions[count - 1].FlowControl == FlowControl.ConditionalBranch)
        {
            count++;
        }

        return new GeneratedSequence(
            Seed, [.. Instructions.Take(count)], [.. FormNames.Take(count)], Initial, BaseRegisterIndex,
            [.. StatusAfter.Take(count)], EmittedForms, stackDepthAtEnd: -1);
    }

    /// <summary>Seed, AT&amp;T listing and initial state: everything needed to reproduce a failure by hand.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"seed {Seed} (SequenceGenerator.Generate({Seed})), base register %{SandboxState.RegisterName(BaseRegisterIndex)}, ");
        text.Append(CultureInfo.InvariantCulture, $"SDM-undefined flags at end: {UndefinedFlagsAtEnd}\n");
        text.Append(SequenceCode.Format(Code));
        text.Append("initial state:\n");
        text.Append(Initial.DescribeRegisters());
        return text.ToString();
    }
}
