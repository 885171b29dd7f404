using Iced.Intel;

namespace EntryModel.Oracles.Tests.Differential.Generation;

/// <summary>
/// The table of instruction forms the differential corpus draws from: integer ALU, shifts and rotates,
/// multiply and guarded divide, moves and extensions, lea, xchg, cmovcc/setcc, bit tests, push/pop,
/// conversions and flag instructions, xadd/cmpxchg, bsf/bsr, string instructions, loop*/jrcxz (forward),
/// pushfq/popfq, at 8/16/32/64 bits, with register, memory and immediate operands. Memory operands always
/// address the data buffer through the reserved base register (now and then plus a small index register).
/// </summary>
public static class InstructionForms
{
    private static readonly int[] AllSizes = [8, 16, 32, 64];
    private static readonly int[] WideSizes = [16, 32, 64];
    private const int Rax = 0;
    private const int Rdx = 2;

    public static IReadOnlyList<InstructionForm> All { get; } = Build();

    /// <summary>
    /// Forms where Unicorn 2.0.1 (QEMU's TCG) gets defined behaviour wrong, measured against the AMD EPYC host
    /// (which the machine matches): <c>cmpxchg r32, r32</c> that fails zero-extends the destination register
    /// (hardware leaves it unwritten); <c>bsf/bsr r32</c> with a zero source zero-extends the destination
    /// (AMD leaves it unchanged; the SDM calls it undefined); <c>loope/loopne</c> change PF and SF (the SDM
    /// says LOOPcc affects no flags). Comparisons that involve Unicorn leave these forms out.
    /// </summary>
    public static IReadOnlySet<string> WrongOnUnicorn { get; } = new HashSet<string>
    {
        "cmpxchg r32, r32",
        "bsf r32, r32", "bsf r32, m32", "bsr r32, r32", "bsr r32, m32",
        "loope (forward over one)", "loopne (forward over one)",
    };

    /// <summary><see cref="All"/> without <see cref="WrongOnUnicorn"/>: the table for comparisons with Unicorn.</summary>
    public static IReadOnlyList<InstructionForm> ForUnicorn { get; } = [.. All.Where(f => !WrongOnUnicorn.Contains(f.Name))];

    private static List<InstructionForm> Build()
    {
        var forms = new List<InstructionForm>();
        AddBinaryAlu(forms);
        AddTest(forms);
        AddUnary(forms);
        AddShiftsAndRotates(forms);
        AddMultiply(forms);
        AddDivide(forms);
        AddMoves(forms);
        AddExtensions(forms);
        AddLea(forms);
        AddExchange(forms);
        AddConditional(forms);
        AddBitTests(forms);
        AddStack(forms);
        AddConversionsAndFlagInstructions(forms);
        AddExchangeAndAdd(forms);
        AddCompareExchange(forms);
        AddBitScans(forms);
        AddStrings(forms);
        AddFlagsThroughTheStack(forms);
        AddCounterBranches(forms);
        return forms;
    }

    private static void AddBinaryAlu(List<InstructionForm> forms)
    {
        (string Mnemonic, FlagEffect Effect, bool Writes)[] operations =
        [
            ("Add", FlagEffect.Arithmetic, true),
            ("Or", FlagEffect.Logic, true),
            ("Adc", FlagEffect.ArithmeticWithCarry, true),
            ("Sbb", FlagEffect.ArithmeticWithCarry, true),
            ("And", FlagEffect.Logic, true),
            ("Sub", FlagEffect.Arithmetic, true),
            ("Xor", FlagEffect.Logic, true),
            ("Cmp", FlagEffect.Arithmetic, false),
        ];
        foreach (var (m, effect, writes) in operations)
        {
            foreach (int s in AllSizes)
            {
                AddTwoOperandShapes(forms, m, s, effect, writes);
            }
        }
    }

    private static void AddTest(List<InstructionForm> forms)
    {
        foreach (int s in AllSizes)
        {
            Code rr = CodeOf($"Test_rm{s}_r{s}");
            Code ri = CodeOf($"Test_rm{s}_imm{ImmBits(s)}");
            Code acc = CodeOf($"Test_{Accumulator(s)}_imm{ImmBits(s)}");
            forms.Add(Form($"test r/m{s}, r{s} (reg)", FlagEffect.Logic, b => Instruction.Create(rr, b.AnyRegister(s), b.AnyRegister(s))));
            forms.Add(Form($"test r/m{s}, r{s} (mem)", FlagEffect.Logic, b => Instruction.Create(rr, b.DataOperand(), b.AnyRegister(s))));
            forms.Add(Form($"test r/m{s}, imm (reg)", FlagEffect.Logic, b => Instruction.Create(ri, b.AnyRegister(s), Immediate(b, ImmBits(s)))));
            forms.Add(Form($"test r/m{s}, imm (mem)", FlagEffect.Logic, b => Instruction.Create(ri, b.DataOperand(), Immediate(b, ImmBits(s)))));
            forms.Add(Form($"test {Accumulator(s)}, imm", FlagEffect.Logic, b => Instruction.Create(acc, SequenceBuilder.Sized(Rax, s), Immediate(b, ImmBits(s)))));
        }
    }

    private static void AddUnary(List<InstructionForm> forms)
    {
        (string Mnemonic, FlagEffect Effect)[] operations =
        [
            ("Inc", FlagEffect.IncrementDecrement),
            ("Dec", FlagEffect.IncrementDecrement),
            ("Neg", FlagEffect.Arithmetic),
            ("Not", FlagEffect.None),
        ];
        foreach (var (m, effect) in operations)
        {
            foreach (int s in AllSizes)
            {
                Code code = CodeOf($"{m}_rm{s}");
                forms.Add(Form($"{m.ToLowerInvariant()} r{s}", effect, b => Instruction.Create(code, b.WritableRegister(s))));
                forms.Add(Form($"{m.ToLowerInvariant()} m{s}", effect, b => Instruction.Create(code, b.DataOperand())));
            }
        }
    }

    private static void AddShiftsAndRotates(List<InstructionForm> forms)
    {
        string[] operations = ["Rol", "Ror", "Rcl", "Rcr", "Shl", "Shr", "Sar"];
        foreach (string m in operations)
        {
            foreach (int s in AllSizes)
            {
                foreach (bool memory in new[] { false, true })
                {
                    string where = memory ? "m" : "r";
                    string op = m.ToLowerInvariant();
                    Code one = CodeOf($"{m}_rm{s}_1");
                    Code byCl = CodeOf($"{m}_rm{s}_CL");
                    Code byImm = CodeOf($"{m}_rm{s}_imm8");
                    forms.Add(new InstructionForm($"{op} {where}{s}, 1", b =>
                        TryShift(b, $"{op} {where}{s}, 1", m, s, count: 1, Create(b, one, memory, s, 1))));
                    forms.Add(new InstructionForm($"{op} {where}{s}, imm8", b =>
                    {
                        int count = b.Chance(3) ? b.Random.Next(256) : b.Random.Next(s + 2);
                        return TryShift(b, $"{op} {where}{s}, imm8", m, s, count, Create(b, byImm, memory, s, count));
                    }));
                    forms.Add(new InstructionForm($"{op} {where}{s}, %cl", b =>
                    {
                        Instruction instruction = memory
                            ? Instruction.Create(byCl, b.DataOperand(), Register.CL)
                            : Instruction.Create(byCl, b.WritableRegister(s), Register.CL);
                        return TryShift(b, $"{op} {where}{s}, %cl", m, s, count: null, instruction);
                    }));
                }
            }
        }

        static Instruction Create(SequenceBuilder b, Code code, bool memory, int s, int count) =>
            memory ? Instruction.Create(code, b.DataOperand(), count) : Instruction.Create(code, b.WritableRegister(s), count);
    }

    /// <summary>Flags of a shift or rotate per the SDM; <paramref name="count"/> is null when it comes from %cl at run time.</summary>
    private static bool TryShift(SequenceBuilder b, string name, string mnemonic, int size, int? count, Instruction instruction)
    {
        bool rotate = mnemonic is "Rol" or "Ror" or "Rcl" or "Rcr";
        bool throughCarry = mnemonic is "Rcl" or "Rcr";
        bool logicalShift = mnemonic is "Shl" or "Shr";
        RflagsBits reads = throughCarry ? RflagsBits.Carry : RflagsBits.None;
        FlagEffect effect;
        if (count is null)
        {
            // The count may be 0 (flags kept), 1 (OF defined) or more (OF undefined; for shifts AF undefined,
            // and for SHL/SHR of 8/16 bits a count >= the width leaves CF undefined).
            RflagsBits undefines = RflagsBits.Overflow;
            if (!rotate)
            {
                undefines |= RflagsBits.Adjust;
                if (logicalShift && size < 32)
                {
                    undefines |= RflagsBits.Carry;
                }
            }

            effect = new FlagEffect(reads, RflagsBits.None, undefines);
        }
        else
        {
            int masked = count.Value & (size == 64 ? 0x3F : 0x1F);
            if (masked == 0)
            {
                effect = FlagEffect.ReadsOnly(reads);
            }
            else if (rotate)
            {
                RflagsBits defines = RflagsBits.Carry | (masked == 1 ? RflagsBits.Overflow : RflagsBits.None);
                effect = new FlagEffect(reads, defines, masked == 1 ? RflagsBits.None : RflagsBits.Overflow);
            }
            else
            {
                RflagsBits defines = RflagsBits.Sign | RflagsBits.Zero | RflagsBits.Parity;
                RflagsBits undefines = RflagsBits.Adjust;
                if (logicalShift && masked >= size)
                {
                    undefines |= RflagsBits.Carry;
                }
                else
                {
                    defines |= RflagsBits.Carry;
                }

                if (masked == 1)
                {
                    defines |= RflagsBits.Overflow;
                }
                else
                {
                    undefines |= RflagsBits.Overflow;
                }

                effect = new FlagEffect(reads, defines, undefines);
            }
        }

        return b.CanRead(effect.Reads) && b.TryAdd(instruction, name, effect);
    }

    private static void AddMultiply(List<InstructionForm> forms)
    {
        foreach (int s in WideSizes)
        {
            Code two = CodeOf($"Imul_r{s}_rm{s}");
            Code three8 = CodeOf($"Imul_r{s}_rm{s}_imm8");
            Code threeFull = CodeOf($"Imul_r{s}_rm{s}_imm{ImmBits(s)}");
            forms.Add(Form($"imul r{s}, r{s}", FlagEffect.Multiply, b => Instruction.Create(two, b.WritableRegister(s), b.AnyRegister(s))));
            forms.Add(Form($"imul r{s}, m{s}", FlagEffect.Multiply, b => Instruction.Create(two, b.WritableRegister(s), b.DataOperand())));
            forms.Add(Form($"imul r{s}, r/m{s}, imm8", FlagEffect.Multiply, b => b.Chance(2)
                ? Instruction.Create(three8, b.WritableRegister(s), b.AnyRegister(s), Immediate(b, 8))
                : Instruction.Create(three8, b.WritableRegister(s), b.DataOperand(), Immediate(b, 8))));
            forms.Add(Form($"imul r{s}, r/m{s}, imm{ImmBits(s)}", FlagEffect.Multiply, b => b.Chance(2)
                ? Instruction.Create(threeFull, b.WritableRegister(s), b.AnyRegister(s), Immediate(b, ImmBits(s)))
                : Instruction.Create(threeFull, b.WritableRegister(s), b.DataOperand(), Immediate(b, ImmBits(s)))));
        }

        foreach (string m in new[] { "Mul", "Imul" })
        {
            foreach (int s in AllSizes)
            {
                Code code = CodeOf($"{m}_rm{s}");
                string op = m.ToLowerInvariant();
                forms.Add(new InstructionForm($"{op} r/m{s} (one operand)", b =>
                {
                    // Writes AX for 8 bits, rDX:rAX otherwise.
                    if (!b.IsWritable(Rax) || (s > 8 && !b.IsWritable(Rdx)))
                    {
                        return false;
                    }

                    Instruction instruction = b.Chance(2) ? Instruction.Create(code, b.AnyRegister(s)) : Instruction.Create(code, b.DataOperand());
                    return b.TryAdd(instruction, $"{op} r/m{s}", FlagEffect.Multiply);
                }));
            }
        }
    }

    /// <summary>
    /// div/idiv cannot be allowed to raise #DE on the host (it would kill the test process), so each is
    /// preceded by guards that make the divisor non-zero and the quotient fit: the dividend's high half
    /// is cleared (div) or a sign extension of the low half (idiv), and for idiv the divisor is forced to
    /// be at least 2 and positive. The guards are ordinary instructions and are compared like the rest.
    /// </summary>
    private static void AddDivide(List<InstructionForm> forms)
    {
        foreach (bool signed in new[] { false, true })
        {
            foreach (int s in AllSizes)
            {
                string op = signed ? "idiv" : "div";
                Code divide = CodeOf($"{(signed ? "Idiv" : "Div")}_rm{s}");
                forms.Add(new InstructionForm($"{op} r/m{s} (guarded)", b =>
                {
                    if (!b.IsWritable(Rax) || !b.IsWritable(Rdx))
                    {
                        return false;
                    }

                    bool memory = b.Chance(3);
                    MemoryOperand slot = b.DataOperand();
                    // Not rAX or rDX (nor AH/DH): the guards below rewrite the dividend after the divisor is fixed.
                    Register divisor = memory ? Register.None : b.WritableRegister(s, Rax, Rdx);
                    AddDividendGuard(b, signed, s);
                    if (signed)
                    {
                        int mask = s == 8 ? 0x7F : s == 16 ? 0x7FFF : 0x7FFF_FFFF;
                        AddDivisorGuard(b, "And", s, memory, slot, divisor, mask, FlagEffect.Logic);
                        AddDivisorGuard(b, "Or", s, memory, slot, divisor, 2, FlagEffect.Logic);
                    }
                    else
                    {
                        AddDivisorGuard(b, "Or", s, memory, slot, divisor, 1, FlagEffect.Logic);
                    }

                    Instruction instruction = memory ? Instruction.Create(divide, slot) : Instruction.Create(divide, divisor);
                    return Must(b, b.TryAdd(instruction, $"{op} r/m{s}", FlagEffect.Divide));
                }));
            }
        }
    }

    private static void AddDividendGuard(SequenceBuilder b, bool signed, int size)
    {
        Instruction guard = (signed, size) switch
        {
            (false, 8) => Instruction.Create(Code.Movzx_r32_rm8, Register.EAX, Register.AL),
            (false, _) => Instruction.Create(Code.Xor_r32_rm32, Register.EDX, Register.EDX),
            (true, 8) => Instruction.Create(Code.Cbw),
            (true, 16) => Instruction.Create(Code.Cwd),
            (true, 32) => Instruction.Create(Code.Cdq),
            (true, _) => Instruction.Create(Code.Cqo),
        };
        FlagEffect effect = guard.Code == Code.Xor_r32_rm32 ? FlagEffect.Logic : FlagEffect.None;
        Must(b, b.TryAdd(guard, "divide guard (dividend)", effect));
    }

    private static void AddDivisorGuard(SequenceBuilder b, string mnemonic, int size, bool memory, MemoryOperand slot, Register divisor, int value, FlagEffect effect)
    {
        Code code = CodeOf($"{mnemonic}_rm{size}_imm{ImmBits(size)}");
        Instruction guard = memory ? Instruction.Create(code, slot, value) : Instruction.Create(code, divisor, value);
        Must(b, b.TryAdd(guard, "divide guard (divisor)", effect));
    }

    private static void AddMoves(List<InstructionForm> forms)
    {
        foreach (int s in AllSizes)
        {
            Code store = CodeOf($"Mov_rm{s}_r{s}");
            Code load = CodeOf($"Mov_r{s}_rm{s}");
            Code immediate = CodeOf($"Mov_rm{s}_imm{ImmBits(s)}");
            forms.Add(Form($"mov r{s}, r{s}", FlagEffect.None, b => Instruction.Create(b.Chance(2) ? store : load, b.WritableRegister(s), b.AnyRegister(s))));
            forms.Add(Form($"mov r{s}, m{s}", FlagEffect.None, b => Instruction.Create(load, b.WritableRegister(s), b.DataOperand())));
            forms.Add(Form($"mov m{s}, r{s}", FlagEffect.None, b => Instruction.Create(store, b.DataOperand(), b.AnyRegister(s))));
            forms.Add(Form($"mov r/m{s}, imm", FlagEffect.None, b => b.Chance(2)
                ? Instruction.Create(immediate, b.WritableRegister(s), Immediate(b, ImmBits(s)))
                : Instruction.Create(immediate, b.DataOperand(), Immediate(b, ImmBits(s)))));
        }

        forms.Add(Form("movabs r64, imm64", FlagEffect.None, b => Instruction.Create(Code.Mov_r64_imm64, b.WritableRegister(64), RegisterValues.Next(b.Random))));
        forms.Add(Form("mov r32, imm32", FlagEffect.None, b => Instruction.Create(Code.Mov_r32_imm32, b.WritableRegister(32), (uint)RegisterValues.Next(b.Random))));
    }

    private static void AddExtensions(List<InstructionForm> forms)
    {
        (int To, int From)[] shapes = [(16, 8), (32, 8), (64, 8), (32, 16), (64, 16)];
        foreach (string m in new[] { "Movzx", "Movsx" })
        {
            foreach (var (to, from) in shapes)
            {
                Code code = CodeOf($"{m}_r{to}_rm{from}");
                string op = m.ToLowerInvariant();
                forms.Add(Form($"{op} r{to}, r{from}", FlagEffect.None, b => Instruction.Create(code, b.WritableRegister(to), b.AnyRegister(from))));
                forms.Add(Form($"{op} r{to}, m{from}", FlagEffect.None, b => Instruction.Create(code, b.WritableRegister(to), b.DataOperand())));
            }
        }

        forms.Add(Form("movsxd r64, r32", FlagEffect.None, b => Instruction.Create(Code.Movsxd_r64_rm32, b.WritableRegister(64), b.AnyRegister(32))));
        forms.Add(Form("movsxd r64, m32", FlagEffect.None, b => Instruction.Create(Code.Movsxd_r64_rm32, b.WritableRegister(64), b.DataOperand())));
    }

    /// <summary>lea computes an address without touching memory, so any base, index, scale and displacement is safe.</summary>
    private static void AddLea(List<InstructionForm> forms)
    {
        foreach (int s in WideSizes)
        {
            Code code = CodeOf($"Lea_r{s}_m");
            forms.Add(Form($"lea r{s}, m", FlagEffect.None, b => Instruction.Create(code, b.WritableRegister(s), LeaOperand(b))));
        }

        static MemoryOperand LeaOperand(SequenceBuilder b)
        {
            if (b.Chance(12))
            {
                // RIP-relative: Iced takes the absolute target; every executor runs at the same address.
                return new MemoryOperand(Register.RIP, (long)SandboxLayout.SequenceAddress + b.Random.Next(-0x1000, 0x1000));
            }

            int width = b.Chance(8) ? 32 : 64;
            Register @base = b.Chance(8) ? Register.None : SequenceBuilder.Sized(b.Random.Next(16), width);
            Register index = Register.None;
            if (b.Chance(2))
            {
                int i = b.Random.Next(16);
                index = i == SandboxState.RspIndex ? Register.None : SequenceBuilder.Sized(i, width);
            }

            int scale = 1 << b.Random.Next(4);
            int displacement = b.Chance(2) ? b.Random.Next(-128, 128) : (int)RegisterValues.Next(b.Random);
            if (@base == Register.None && index == Register.None)
            {
                @base = SequenceBuilder.Sized(b.Random.Next(16), width);
            }

            int displacementSize = b.Chance(2) ? 1 : width / 8; // 1 = shortest; 4/8 = disp32 at that address size
            return new MemoryOperand(@base, index, scale, displacement, displacementSize);
        }
    }

    private static void AddExchange(List<InstructionForm> forms)
    {
        foreach (int s in AllSizes)
        {
            Code code = CodeOf($"Xchg_rm{s}_r{s}");
            forms.Add(Form($"xchg r{s}, r{s}", FlagEffect.None, b => Instruction.Create(code, b.WritableRegister(s), b.WritableRegister(s))));
            forms.Add(Form($"xchg m{s}, r{s}", FlagEffect.None, b => Instruction.Create(code, b.DataOperand(), b.WritableRegister(s))));
        }

        foreach (int s in WideSizes)
        {
            Code code = CodeOf($"Xchg_r{s}_{Accumulator(s)}");
            forms.Add(new InstructionForm($"xchg r{s}, {Accumulator(s)} (short form)", b =>
                b.IsWritable(Rax) && b.TryAdd(Instruction.Create(code, b.WritableRegister(s), SequenceBuilder.Sized(Rax, s)), $"xchg r{s}, {Accumulator(s)}", FlagEffect.None)));
        }
    }

    private static void AddConditional(List<InstructionForm> forms)
    {
        foreach (var (cc, reads) in ConditionCodes.All)
        {
            FlagEffect effect = FlagEffect.ReadsOnly(reads);
            foreach (int s in WideSizes)
            {
                Code code = CodeOf($"Cmov{cc}_r{s}_rm{s}");
                forms.Add(Form($"cmov{cc} r{s}, r{s}", effect, b => Instruction.Create(code, b.WritableRegister(s), b.AnyRegister(s))));
                forms.Add(Form($"cmov{cc} r{s}, m{s}", effect, b => Instruction.Create(code, b.WritableRegister(s), b.DataOperand())));
            }

            Code set = CodeOf($"Set{cc}_rm8");
            forms.Add(Form($"set{cc} r8", effect, b => Instruction.Create(set, b.WritableRegister(8))));
            forms.Add(Form($"set{cc} m8", effect, b => Instruction.Create(set, b.DataOperand())));
        }
    }

    /// <summary>Bit tests on memory take only an immediate bit offset: a register offset can reach far outside the buffer.</summary>
    private static void AddBitTests(List<InstructionForm> forms)
    {
        foreach (string m in new[] { "Bt", "Bts", "Btr", "Btc" })
        {
            bool writes = m != "Bt";
            string op = m.ToLowerInvariant();
            foreach (int s in WideSizes)
            {
                Code byRegister = CodeOf($"{m}_rm{s}_r{s}");
                Code byImmediate = CodeOf($"{m}_rm{s}_imm8");
                forms.Add(Form($"{op} r{s}, r{s}", FlagEffect.BitTest, b =>
                    Instruction.Create(byRegister, writes ? b.WritableRegister(s) : b.AnyRegister(s), b.AnyRegister(s))));
                forms.Add(Form($"{op} r{s}, imm8", FlagEffect.BitTest, b =>
                    Instruction.Create(byImmediate, writes ? b.WritableRegister(s) : b.AnyRegister(s), b.Random.Next(256))));
                forms.Add(Form($"{op} m{s}, imm8", FlagEffect.BitTest, b => Instruction.Create(byImmediate, b.DataOperand(), b.Random.Next(256))));
            }
        }
    }

    /// <summary>push/pop stay inside the compared stack window: pops never outnumber pushes.</summary>
    private static void AddStack(List<InstructionForm> forms)
    {
        forms.Add(Push("push r64", 8, b => Instruction.Create(Code.Push_r64, b.AnyRegister(64))));
        forms.Add(Push("push r16", 2, b => Instruction.Create(Code.Push_r16, b.AnyRegister(16))));
        forms.Add(Push("push m64", 8, b => Instruction.Create(Code.Push_rm64, b.DataOperand())));
        forms.Add(Push("push imm8", 8, b => Instruction.Create(Code.Pushq_imm8, Immediate(b, 8))));
        forms.Add(Push("push imm32", 8, b => Instruction.Create(Code.Pushq_imm32, Immediate(b, 32))));
        forms.Add(Pop("pop r64", 8, b => Instruction.Create(Code.Pop_r64, b.WritableRegister(64))));
        forms.Add(Pop("pop r16", 2, b => Instruction.Create(Code.Pop_r16, b.WritableRegister(16))));
        forms.Add(Pop("pop m64", 8, b => Instruction.Create(Code.Pop_rm64, b.DataOperand())));

        static InstructionForm Push(string name, int bytes, Func<SequenceBuilder, Instruction> create) => new(name, b =>
        {
            if (b.StackDepth + bytes > SandboxLayout.StackWindowSize || !b.TryAdd(create(b), name, FlagEffect.None))
            {
                return false;
            }

            b.StackDepth += bytes;
            return true;
        });

        static InstructionForm Pop(string name, int bytes, Func<SequenceBuilder, Instruction> create) => new(name, b =>
        {
            if (b.StackDepth < bytes || !b.TryAdd(create(b), name, FlagEffect.None))
            {
                return false;
            }

            b.StackDepth -= bytes;
            return true;
        });
    }

    private static void AddConversionsAndFlagInstructions(List<InstructionForm> forms)
    {
        foreach (Code code in new[] { Code.Cbw, Code.Cwde, Code.Cdqe })
        {
            forms.Add(Fixed(code.ToString().ToLowerInvariant(), code, FlagEffect.None, writes: [Rax]));
        }

        foreach (Code code in new[] { Code.Cwd, Code.Cdq, Code.Cqo })
        {
            forms.Add(Fixed(code.ToString().ToLowerInvariant(), code, FlagEffect.None, writes: [Rdx]));
        }

        forms.Add(Fixed("clc", Code.Clc, new FlagEffect(RflagsBits.None, RflagsBits.Carry, RflagsBits.None), writes: []));
        forms.Add(Fixed("stc", Code.Stc, new FlagEffect(RflagsBits.None, RflagsBits.Carry, RflagsBits.None), writes: []));
        forms.Add(Fixed("cmc", Code.Cmc, new FlagEffect(RflagsBits.Carry, RflagsBits.Carry, RflagsBits.None), writes: []));

        RflagsBits lowFlags = RflagsBits.Sign | RflagsBits.Zero | RflagsBits.Adjust | RflagsBits.Parity | RflagsBits.Carry;
        forms.Add(Fixed("lahf", Code.Lahf, FlagEffect.ReadsOnly(lowFlags), writes: [Rax]));
        forms.Add(Fixed("sahf", Code.Sahf, new FlagEffect(RflagsBits.None, lowFlags, RflagsBits.None), writes: []));

        forms.Add(Form("bswap r32", FlagEffect.None, b => Instruction.Create(Code.Bswap_r32, b.WritableRegister(32))));
        forms.Add(Form("bswap r64", FlagEffect.None, b => Instruction.Create(Code.Bswap_r64, b.WritableRegister(64))));

        static InstructionForm Fixed(string name, Code code, FlagEffect effect, int[] writes) => new(name, b =>
            Array.TrueForAll(writes, b.IsWritable) && b.CanRead(effect.Reads) && b.TryAdd(Instruction.Create(code), name, effect));
    }

    /// <summary>xadd r/m, r: flags as add; the memory form sometimes with lock (lock on a register destination is #UD).</summary>
    private static void AddExchangeAndAdd(List<InstructionForm> forms)
    {
        foreach (int s in AllSizes)
        {
            Code code = CodeOf($"Xadd_rm{s}_r{s}");
            forms.Add(Form($"xadd r{s}, r{s}", FlagEffect.Arithmetic, b => Instruction.Create(code, b.WritableRegister(s), b.WritableRegister(s))));
            forms.Add(Form($"xadd m{s}, r{s}", FlagEffect.Arithmetic, b => Locked(b, Instruction.Create(code, b.DataOperand(), b.WritableRegister(s)))));
        }
    }

    /// <summary>cmpxchg r/m, r: flags as cmp accumulator, r/m; writes the accumulator when they differ.</summary>
    private static void AddCompareExchange(List<InstructionForm> forms)
    {
        foreach (int s in AllSizes)
        {
            Code code = CodeOf($"Cmpxchg_rm{s}_r{s}");
            forms.Add(new InstructionForm($"cmpxchg r{s}, r{s}", b =>
                b.IsWritable(Rax) && b.TryAdd(Instruction.Create(code, b.WritableRegister(s), b.AnyRegister(s)), $"cmpxchg r{s}, r{s}", FlagEffect.Arithmetic)));
            forms.Add(new InstructionForm($"cmpxchg m{s}, r{s}", b =>
                b.IsWritable(Rax) && b.TryAdd(Locked(b, Instruction.Create(code, b.DataOperand(), b.AnyRegister(s))), $"cmpxchg m{s}, r{s}", FlagEffect.Arithmetic)));
            // A matching accumulator now and then, so the equal case is common too.
            forms.Add(new InstructionForm($"cmpxchg m{s}, r{s} (accumulator loaded)", b =>
            {
                if (!b.IsWritable(Rax))
                {
                    return false;
                }

                MemoryOperand slot = b.DataOperand();
                Code load = CodeOf($"Mov_r{s}_rm{s}");
                return b.TryAdd(Instruction.Create(load, SequenceBuilder.Sized(Rax, s), slot), "cmpxchg setup (mov acc, m)", FlagEffect.None)
                    && b.TryAdd(Locked(b, Instruction.Create(code, slot, b.AnyRegister(s))), $"cmpxchg m{s}, r{s}", FlagEffect.Arithmetic);
            }));
        }
    }

    private static Instruction Locked(SequenceBuilder b, Instruction instruction)
    {
        instruction.HasLockPrefix = b.Chance(2);
        return instruction;
    }

    /// <summary>
    /// bsf/bsr: ZF = (source == 0), the rest undefined. With a zero source the SDM leaves the destination
    /// undefined; AMD (the host) and the machine leave it unchanged, and that is compared.
    /// </summary>
    private static void AddBitScans(List<InstructionForm> forms)
    {
        var effect = new FlagEffect(RflagsBits.None, RflagsBits.Zero, RflagsBits.Status & ~RflagsBits.Zero);
        foreach (string m in new[] { "Bsf", "Bsr" })
        {
            string op = m.ToLowerInvariant();
            foreach (int s in WideSizes)
            {
                Code code = CodeOf($"{m}_r{s}_rm{s}");
                forms.Add(Form($"{op} r{s}, r{s}", effect, b => Instruction.Create(code, b.WritableRegister(s), b.AnyRegister(s))));
                forms.Add(Form($"{op} r{s}, m{s}", effect, b => Instruction.Create(code, b.WritableRegister(s), b.DataOperand())));
            }
        }
    }

    /// <summary>
    /// String instructions over the data buffer: rsi/rdi are pointed into it with lea, rcx gets a small count
    /// (0..8), DF is set or cleared first (std/cld) and cleared again after, so DF is 0 between forms.
    /// </summary>
    private static void AddStrings(List<InstructionForm> forms)
    {
        (string Name, bool UsesSource, bool UsesDestination, bool Compares, bool WritesAccumulator)[] operations =
        [
            ("Movs", true, true, false, false),
            ("Stos", false, true, false, false),
            ("Lods", true, false, false, true),
            ("Scas", false, true, true, false),
            ("Cmps", true, true, true, false),
        ];
        foreach (var (name, usesSource, usesDestination, compares, writesAccumulator) in operations)
        {
            foreach (int s in AllSizes)
            {
                RepPrefixKind[] prefixes = compares ? [RepPrefixKind.None, RepPrefixKind.Repe, RepPrefixKind.Repne] : [RepPrefixKind.None, RepPrefixKind.Repe];
                foreach (RepPrefixKind prefix in prefixes)
                {
                    string prefixName = prefix switch { RepPrefixKind.Repe => compares ? "repe " : "rep ", RepPrefixKind.Repne => "repne ", _ => string.Empty };
                    string formName = $"{prefixName}{name.ToLowerInvariant()}{Suffix(s)}";
                    forms.Add(new InstructionForm(formName, b =>
                    {
                        if (!b.IsWritable(1) || !b.IsWritable(6) || !b.IsWritable(7) || (writesAccumulator && !b.IsWritable(Rax)))
                        {
                            return false;
                        }

                        int count = b.Random.Next(9);
                        bool down = b.Chance(2);
                        Register baseRegister = SequenceBuilder.Sized(b.BaseRegisterIndex, 64);
                        Must(b, b.TryAdd(Instruction.Create(down ? Code.Std : Code.Cld), "string setup (std/cld)", FlagEffect.None));
                        if (usesSource)
                        {
                            Must(b, b.TryAdd(Instruction.Create(Code.Lea_r64_m, Register.RSI, new MemoryOperand(baseRegister, b.Random.Next(-0x300, 0x301))), "string setup (lea rsi)", FlagEffect.None));
                        }

                        if (usesDestination)
                        {
                            Must(b, b.TryAdd(Instruction.Create(Code.Lea_r64_m, Register.RDI, new MemoryOperand(baseRegister, b.Random.Next(-0x300, 0x301))), "string setup (lea rdi)", FlagEffect.None));
                        }

                        Must(b, b.TryAdd(Instruction.Create(Code.Mov_r32_imm32, Register.ECX, count), "string setup (mov ecx, count)", FlagEffect.None));
                        bool flagsKept = !compares || (prefix != RepPrefixKind.None && count == 0);
                        Must(b, b.TryAdd(StringInstruction(name, s, prefix), formName, flagsKept ? FlagEffect.None : FlagEffect.Arithmetic));
                        return Must(b, b.TryAdd(Instruction.Create(Code.Cld), "string cleanup (cld)", FlagEffect.None));
                    }));
                }
            }
        }

        static string Suffix(int s) => s switch { 8 => "b", 16 => "w", 32 => "d", _ => "q" };

        static Instruction StringInstruction(string name, int s, RepPrefixKind prefix) => (name, s) switch
        {
            ("Movs", 8) => Instruction.CreateMovsb(64, Register.None, prefix),
            ("Movs", 16) => Instruction.CreateMovsw(64, Register.None, prefix),
            ("Movs", 32) => Instruction.CreateMovsd(64, Register.None, prefix),
            ("Movs", _) => Instruction.CreateMovsq(64, Register.None, prefix),
            ("Stos", 8) => Instruction.CreateStosb(64, prefix),
            ("Stos", 16) => Instruction.CreateStosw(64, prefix),
            ("Stos", 32) => Instruction.CreateStosd(64, prefix),
            ("Stos", _) => Instruction.CreateStosq(64, prefix),
            ("Lods", 8) => Instruction.CreateLodsb(64, Register.None, prefix),
            ("Lods", 16) => Instruction.CreateLodsw(64, Register.None, prefix),
            ("Lods", 32) => Instruction.CreateLodsd(64, Register.None, prefix),
            ("Lods", _) => Instruction.CreateLodsq(64, Register.None, prefix),
            ("Scas", 8) => Instruction.CreateScasb(64, prefix),
            ("Scas", 16) => Instruction.CreateScasw(64, prefix),
            ("Scas", 32) => Instruction.CreateScasd(64, prefix),
            ("Scas", _) => Instruction.CreateScasq(64, prefix),
            ("Cmps", 8) => Instruction.CreateCmpsb(64, Register.None, prefix),
            ("Cmps", 16) => Instruction.CreateCmpsw(64, Register.None, prefix),
            ("Cmps", 32) => Instruction.CreateCmpsd(64, Register.None, prefix),
            _ => Instruction.CreateCmpsq(64, Register.None, prefix),
        };
    }

    /// <summary>
    /// pushfq; and [rsp], status|DF; or [rsp], random status bits (DF now and then); popfq. The AND drops
    /// TF, IF, AC, ID and the rest of the system flags before popfq sees them (and makes the stack slot the
    /// same on every executor); only when no status flag is undefined, since pushfq stores them all.
    /// </summary>
    private static void AddFlagsThroughTheStack(List<InstructionForm> forms)
    {
        forms.Add(new InstructionForm("pushfq/popfq", b =>
        {
            if (b.StackDepth + 8 > SandboxLayout.StackWindowSize || b.UndefinedFlags != RflagsBits.None)
            {
                return false;
            }

            const int kept = (int)(RflagsBits.Status | RflagsBits.Direction);
            var top = new MemoryOperand(Register.RSP);
            Must(b, b.TryAdd(Instruction.Create(Code.Pushfq), "pushfq", FlagEffect.None));
            Must(b, b.TryAdd(Instruction.Create(Code.And_rm64_imm32, top, kept), "pushfq/popfq (and [rsp])", FlagEffect.Logic));
            if (b.Chance(2))
            {
                bool direction = b.Chance(4);
                int bits = (b.Random.Next() & (int)RflagsBits.Status) | (direction ? (int)RflagsBits.Direction : 0);
                Must(b, b.TryAdd(Instruction.Create(Code.Or_rm64_imm32, top, bits), "pushfq/popfq (or [rsp])", FlagEffect.Logic));
                b.DirectionMayBeSet |= direction;
            }

            return Must(b, b.TryAdd(Instruction.Create(Code.Popfq), "popfq", FlagEffect.Arithmetic));
        }));
    }

    /// <summary>
    /// jrcxz/jecxz and loop/loope/loopne as forward branches over one flag-neutral instruction (so the
    /// flag bookkeeping holds on both paths). loop* decrements rcx, so rcx must be writable.
    /// </summary>
    private static void AddCounterBranches(List<InstructionForm> forms)
    {
        (string Name, Code Code, RflagsBits Reads, bool WritesRcx)[] branches =
        [
            ("jrcxz", Code.Jrcxz_rel8_64, RflagsBits.None, false),
            ("loop", Code.Loop_rel8_64_RCX, RflagsBits.None, true),
            ("loope", Code.Loope_rel8_64_RCX, RflagsBits.Zero, true),
            ("loopne", Code.Loopne_rel8_64_RCX, RflagsBits.Zero, true),
        ];
        foreach (var (name, code, reads, writesRcx) in branches)
        {
            forms.Add(new InstructionForm($"{name} (forward over one)", b =>
            {
                if ((writesRcx && !b.IsWritable(1)) || !b.CanRead(reads))
                {
                    return false;
                }

                if (writesRcx && b.Chance(2))
                {
                    // A small count now and then so both paths run.
                    Must(b, b.TryAdd(Instruction.Create(Code.Mov_r32_imm32, Register.ECX, b.Random.Next(3)), $"{name} setup (mov ecx, count)", FlagEffect.None));
                }

                Instruction skipped = Instruction.Create(Code.Mov_r64_imm64, b.WritableRegister(64), RegisterValues.Next(b.Random));
                const int branchLength = 2;
                ulong target = b.NextAddress + branchLength + (ulong)b.LengthOf(skipped);
                Must(b, b.TryAdd(Instruction.CreateBranch(code, target), name, FlagEffect.ReadsOnly(reads)));
                return Must(b, b.TryAdd(skipped, $"{name} (skipped mov)", FlagEffect.None));
            }));
        }
    }

    /// <summary>The usual two-operand shapes of an ALU instruction: r,r (both encodings), r,m, m,r, r/m,imm, r/m,imm8, accumulator,imm.</summary>
    private static void AddTwoOperandShapes(List<InstructionForm> forms, string m, int s, FlagEffect effect, bool writes)
    {
        string op = m.ToLowerInvariant();
        Code store = CodeOf($"{m}_rm{s}_r{s}");
        Code load = CodeOf($"{m}_r{s}_rm{s}");
        Code immediate = CodeOf($"{m}_rm{s}_imm{ImmBits(s)}");
        Code accumulator = CodeOf($"{m}_{Accumulator(s)}_imm{ImmBits(s)}");
        Func<SequenceBuilder, Register> destination = writes ? b => b.WritableRegister(s) : b => b.AnyRegister(s);

        forms.Add(Form($"{op} r{s}, r{s}", effect, b => Instruction.Create(b.Chance(2) ? store : load, destination(b), b.AnyRegister(s))));
        forms.Add(Form($"{op} r{s}, m{s}", effect, b => Instruction.Create(load, destination(b), b.DataOperand())));
        forms.Add(Form($"{op} m{s}, r{s}", effect, b => Instruction.Create(store, b.DataOperand(), b.AnyRegister(s))));
        forms.Add(Form($"{op} r/m{s}, imm{ImmBits(s)}", effect, b => b.Chance(2)
            ? Instruction.Create(immediate, destination(b), Immediate(b, ImmBits(s)))
            : Instruction.Create(immediate, b.DataOperand(), Immediate(b, ImmBits(s)))));
        if (s > 8)
        {
            Code signExtended = CodeOf($"{m}_rm{s}_imm8");
            forms.Add(Form($"{op} r/m{s}, imm8", effect, b => b.Chance(2)
                ? Instruction.Create(signExtended, destination(b), Immediate(b, 8))
                : Instruction.Create(signExtended, b.DataOperand(), Immediate(b, 8))));
        }

        forms.Add(new InstructionForm($"{op} {Accumulator(s)}, imm", b =>
            (!writes || b.IsWritable(Rax)) && b.CanRead(effect.Reads)
            && b.TryAdd(Instruction.Create(accumulator, SequenceBuilder.Sized(Rax, s), Immediate(b, ImmBits(s))), $"{op} {Accumulator(s)}, imm", effect)));
    }

    /// <summary>A form that is one instruction with a fixed flag effect; declines if it would read an undefined flag.</summary>
    private static InstructionForm Form(string name, FlagEffect effect, Func<SequenceBuilder, Instruction> create) =>
        new(name, b => b.CanRead(effect.Reads) && b.TryAdd(create(b), name, effect));

    /// <summary>A signed immediate of <paramref name="bits"/> bits, biased towards edge values.</summary>
    private static int Immediate(SequenceBuilder b, int bits)
    {
        long value = (long)RegisterValues.Next(b.Random);
        return bits switch
        {
            8 => (sbyte)value,
            16 => (short)value,
            _ => (int)value,
        };
    }

    private static int ImmBits(int size) => size == 64 ? 32 : size;

    private static string Accumulator(int size) => size switch
    {
        8 => "AL",
        16 => "AX",
        32 => "EAX",
        _ => "RAX",
    };

    private static Code CodeOf(string name) =>
        Enum.TryParse(name, out Code code) ? code : throw new InvalidOperationException($"Iced has no Code.{name}.");

    /// <summary>Guards and setup are fixed, encodable instructions; failing to add one is a bug in this table.</summary>
    private static bool Must(SequenceBuilder b, bool added) =>
        added ? true : throw new InvalidOperationException($"A fixed instruction of a composite form could not be encoded: {b.LastEncodingError}");
}
