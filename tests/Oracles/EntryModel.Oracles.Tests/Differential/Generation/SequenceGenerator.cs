namespace EntryModel.Oracles.Tests.Differential.Generation;

/// <summary>
/// Makes reproducible random user-mode-safe sequences: each sequence comes from its own seed alone, so a
/// failure report's seed regenerates exactly that case. Registers get edge-biased random values, except RSP
/// (the scratch stack top) and one randomly chosen base register that points into the data buffer and is
/// never written; the data buffer, the stack window and the status flags are random too.
/// </summary>
public static class SequenceGenerator
{
    public const int DefaultMaximumLength = 12;

    /// <summary>Seeds <paramref name="firstSeed"/>, <paramref name="firstSeed"/>+1, … as a corpus.</summary>
    public static IEnumerable<GeneratedSequence> Corpus(
        int firstSeed, int count, int maximumLength = DefaultMaximumLength, IReadOnlyList<InstructionForm>? forms = null)
    {
        for (int i = 0; i < count; i++)
        {
            yield return Generate(firstSeed + i, maximumLength, forms);
        }
    }

    /// <summary>One sequence; <paramref name="forms"/> narrows the table (default: <see cref="InstructionForms.All"/>).</summary>
    public static GeneratedSequence Generate(int seed, int maximumLength = DefaultMaximumLength, IReadOnlyList<InstructionForm>? forms = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maximumLength, 1);
        var random = new Random(seed);
        int baseRegister;
        do
        {
            baseRegister = random.Next(SandboxState.RegisterCount);
        }
        while (baseRegister == SandboxState.RspIndex);

        var initial = new SandboxState { Rflags = (ulong)random.NextInt64() & (ulong)RflagsBits.Status };
        for (int i = 0; i < SandboxState.RegisterCount; i++)
        {
            initial.Registers[i] = RegisterValues.Next(random);
        }

        initial.Registers[SandboxState.RspIndex] = SandboxLayout.StackTop;
        initial.Registers[baseRegister] = SandboxLayout.DataAddress + (ulong)random.Next(0x400, 0xC00);
        random.NextBytes(initial.Data);
        random.NextBytes(initial.StackWindow);

        var builder = new SequenceBuilder(random, baseRegister);
        int length = random.Next(1, maximumLength + 1);
        forms ??= InstructionForms.All;
        var emittedForms = new List<string>();
        for (int attempts = 0; builder.Instructions.Count < length && attempts < length * 100; attempts++)
        {
            InstructionForm form = forms[random.Next(forms.Count)];
            if (form.TryEmit(builder))
            {
                emittedForms.Add(form.Name);
            }
        }

        if (builder.DirectionMayBeSet)
        {
            // Leave DF as the harnesses expect it (clear), like a well-behaved function.
            builder.TryAdd(Iced.Intel.Instruction.Create(Iced.Intel.Code.Cld), "cld (restore DF)", FlagEffect.None);
            emittedForms.Add("cld (restore DF)");
        }

        return new GeneratedSequence(
            seed,
            [.. builder.Instructions],
            [.. builder.FormNames],
            initial,
            baseRegister,
            [.. builder.StatusAfter],
            emittedForms,
            builder.StackDepth);
    }
}
