using Iced.Intel;

namespace EntryModel.Oracles.Tests.Differential.Generation;

/// <summary>
/// The state of one sequence while it is generated: the random source, the reserved registers (RSP and
/// the data-buffer base), the scratch-stack depth, and which status flags the SDM leaves undefined at
/// this point (so flag readers are only chosen when what they read is defined).
/// </summary>
public sealed class SequenceBuilder
{
    private readonly Encoder probe = Encoder.Create(64, new NullCodeWriter());
    private readonly List<Instruction> instructions = [];
    private readonly List<string> formNames = [];
    private readonly Dictionary<RflagsBits, Mnemonic> undefinedBy = [];
    private readonly List<FlagStatus> statusAfter = [];

    public SequenceBuilder(Random random, int baseRegisterIndex)
    {
        Random = random;
        BaseRegisterIndex = baseRegisterIndex;
    }

    public Random Random { get; }

    /// <summary>Index (encoding order) of the register that holds the data-buffer address; never written.</summary>
    public int BaseRegisterIndex { get; }

    /// <summary>Bytes pushed and not yet popped; kept within the compared stack window.</summary>
    public int StackDepth { get; set; }

    public RflagsBits UndefinedFlags { get; private set; }

    /// <summary>Why the last refused instruction could not be encoded, for diagnosing the form table.</summary>
    public string? LastEncodingError { get; private set; }

    public IReadOnlyList<Instruction> Instructions => instructions;

    public IReadOnlyList<string> FormNames => formNames;

    /// <summary>For each flag undefined at this point, the instruction that last left it undefined.</summary>
    public IReadOnlyDictionary<RflagsBits, Mnemonic> UndefinedBy => undefinedBy;

    /// <summary>The undefined flags after each instruction, so any prefix of the sequence can be judged alone.</summary>
    public IReadOnlyList<FlagStatus> StatusAfter => statusAfter;

    public bool IsWritable(int registerIndex) => registerIndex != SandboxState.RspIndex && registerIndex != BaseRegisterIndex;

    public bool CanRead(RflagsBits flags) => (UndefinedFlags & flags) == 0;

    /// <summary>Bytes of code so far: the next instruction is encoded at <see cref="SandboxLayout.SequenceAddress"/> plus this.</summary>
    public int CodeLength { get; private set; }

    /// <summary>The address the next instruction will have (for forward branch targets).</summary>
    public ulong NextAddress => SandboxLayout.SequenceAddress + (ulong)CodeLength;

    /// <summary>DF may be 1 here (a popfq set it); the generator ends such a sequence with cld.</summary>
    public bool DirectionMayBeSet { get; set; }

    /// <summary>The encoded length of <paramref name="instruction"/> at <see cref="NextAddress"/>, or -1.</summary>
    public int LengthOf(in Instruction instruction) =>
        probe.TryEncode(instruction, NextAddress, out uint length, out _) ? (int)length : -1;

    /// <summary>Adds one instruction if Iced can encode it; false (nothing added) for combinations x86 forbids, e.g. %ah with REX.</summary>
    public bool TryAdd(in Instruction instruction, string formName, FlagEffect effect)
    {
        if (!probe.TryEncode(instruction, NextAddress, out uint length, out string? error))
        {
            LastEncodingError = $"{SequenceCode.FormatOne(instruction)} ({instruction.Code}): {error}";
            return false;
        }

        CodeLength += (int)length;
        instructions.Add(instruction);
        formNames.Add(formName);
        UndefinedFlags = (UndefinedFlags & ~effect.Defines) | effect.Undefines;
        foreach (RflagsBits flag in SingleFlags)
        {
            if ((effect.Defines & flag) != 0)
            {
                undefinedBy.Remove(flag);
            }

            if ((effect.Undefines & flag) != 0)
            {
                undefinedBy[flag] = instruction.Mnemonic;
            }
        }

        statusAfter.Add(new FlagStatus(UndefinedFlags, new Dictionary<RflagsBits, Mnemonic>(undefinedBy)));

        return true;
    }

    /// <summary>A register of <paramref name="bits"/> width, any of the 16 (reading RSP or the base is fine).</summary>
    public Register AnyRegister(int bits) =>
        bits == 8 && Random.Next(6) == 0 ? Register.AH + Random.Next(4) : Sized(Random.Next(SandboxState.RegisterCount), bits);

    /// <summary>A register this sequence may write; 8-bit picks include %ah..%bh now and then.</summary>
    public Register WritableRegister(int bits, params int[] excluded)
    {
        while (true)
        {
            if (bits == 8 && Random.Next(6) == 0)
            {
                int legacy = Random.Next(4);
                if (IsWritable(legacy) && Array.IndexOf(excluded, legacy) < 0)
                {
                    return Register.AH + legacy;
                }

                continue;
            }

            int index = Random.Next(SandboxState.RegisterCount);
            if (IsWritable(index) && Array.IndexOf(excluded, index) < 0)
            {
                return Sized(index, bits);
            }
        }
    }

    /// <summary>
    /// [base + disp], or now and then [base + index*scale + disp]: inside the data buffer for any access of up
    /// to 8 bytes. The indexed shape first adds <c>mov index32, small</c> (0..63) so the address stays in the
    /// buffer; the index is never rAX or rDX (guarded divides rewrite those between their guards and the divide).
    /// </summary>
    public MemoryOperand DataOperand()
    {
        if (Chance(4))
        {
            int index = Random.Next(SandboxState.RegisterCount);
            if (IsWritable(index) && index is not (0 or 2))
            {
                int value = Random.Next(64);
                if (TryAdd(Instruction.Create(Code.Mov_r32_imm32, Sized(index, 32), value), "index setup (mov r32, imm)", FlagEffect.None))
                {
                    int scale = 1 << Random.Next(4);
                    int indexed = Random.Next(-0x3F0, 0x1F1);
                    int indexedSize = indexed is >= -128 and <= 127 && Random.Next(4) != 0 ? 1 : 8;
                    return new MemoryOperand(Sized(BaseRegisterIndex, 64), Sized(index, 64), scale, indexed, indexedSize);
                }
            }
        }

        int displacement = Random.Next(-0x3F0, 0x3F1);
        // Iced's displacement size: 1 = shortest that fits, 8 = full disp32 with 64-bit addressing.
        int size = displacement is >= -128 and <= 127 && Random.Next(4) != 0 ? 1 : 8;
        return new MemoryOperand(Sized(BaseRegisterIndex, 64), displacement, size);
    }

    public bool Chance(int oneIn) => Random.Next(oneIn) == 0;

    public T Pick<T>(IReadOnlyList<T> items) => items[Random.Next(items.Count)];

    public static Register Sized(int index, int bits) => bits switch
    {
        64 => Register.RAX + index,
        32 => Register.EAX + index,
        16 => Register.AX + index,
        8 => index < 4 ? Register.AL + index : index < 8 ? Register.SPL + (index - 4) : Register.R8L + (index - 8),
        _ => throw new ArgumentOutOfRangeException(nameof(bits)),
    };

    public static int IndexOf(Register register) => register.GetFullRegister() - Register.RAX;

    private static readonly RflagsBits[] SingleFlags =
        [RflagsBits.Carry, RflagsBits.Parity, RflagsBits.Adjust, RflagsBits.Zero, RflagsBits.Sign, RflagsBits.Overflow];

    private sealed class NullCodeWriter : CodeWriter
    {
        public override void WriteByte(byte value)
        {
        }
    }
}
