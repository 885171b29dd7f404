using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace EntryModel.Oracles.Workloads;

/// <summary>
/// User-mode-safe code shaped like kernel entry and a C handler, used to compare executors on the same
/// bytes (Unicorn, the host CPU and the machine model) for speed and for results. Each iteration builds a
/// hardware-frame-like block and an orig_ax slot, saves all GPRs like PUSH_REGS, encodes a frame pointer,
/// calls a handler with a pt_regs pointer in %rdi, restores the GPRs like POP_REGS and drops the frame.
/// The handler keeps a frame pointer, reads pt_regs, updates a counter block through %r14 and returns.
/// Straight-line apart from the loop, so the instruction count of a run is exact.
/// Registers: %r12 = iterations left (at least 1), %r14 = data block (24 bytes used), %rsp = stack top.
/// </summary>
public sealed class EntryHandlerWorkload
{
    /// <summary>Index of %r12 (encoding order), the iteration counter.</summary>
    public const int CounterRegisterIndex = 12;

    /// <summary>Index of %r14 (encoding order), the data-block pointer.</summary>
    public const int DataRegisterIndex = 14;

    /// <summary>Index of %rsp (encoding order).</summary>
    public const int StackRegisterIndex = 4;

    /// <summary>
    /// Instructions per iteration (42 in the entry loop, 17 in the handler). A constant so benchmarks can
    /// use it in OperationsPerInvoke; <see cref="Build"/> checks it against the assembled code.
    /// </summary>
    public const int InstructionsPerIterationConstant = 59;

    /// <summary>Deepest stack use below the initial %rsp, in bytes.</summary>
    public const int StackBytesUsed = 8 * (6 + 15 + 1 + 2);

    private EntryHandlerWorkload(ulong codeAddress, byte[] code, int instructionsPerIteration)
    {
        CodeAddress = codeAddress;
        Code = code;
        InstructionsPerIteration = instructionsPerIteration;
    }

    /// <summary>Where the code must be placed; execution starts here.</summary>
    public ulong CodeAddress { get; }

    public byte[] Code { get; }

    /// <summary>Execution ends when RIP reaches this address (the end of <see cref="Code"/>).</summary>
    public ulong EndAddress => CodeAddress + (ulong)Code.Length;

    public int InstructionsPerIteration { get; }

    /// <summary>Instructions retired by a run of <paramref name="iterations"/> iterations (the first jump plus the loop).</summary>
    public long InstructionCount(long iterations) => (iterations * InstructionsPerIteration) + 1;

    /// <summary>Iterations whose run retires about <paramref name="instructions"/> instructions (at least 1).</summary>
    public int IterationsFor(long instructions) => (int)Math.Max(1, instructions / InstructionsPerIteration);

    /// <summary>Initial GPRs (encoding order): distinct recognisable values, plus the three the code depends on.</summary>
    public static ulong[] InitialRegisters(long iterations, ulong dataAddress, ulong stackTop)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        var registers = new ulong[16];
        for (int i = 0; i < registers.Length; i++)
        {
            registers[i] = 0x1111_0000_0000_0000UL * (ulong)(i + 1) + (ulong)i;
        }

        registers[CounterRegisterIndex] = (ulong)iterations;
        registers[DataRegisterIndex] = dataAddress;
        registers[StackRegisterIndex] = stackTop;
        return registers;
    }

    public static EntryHandlerWorkload Build(ulong codeAddress)
    {
        var a = new Assembler(64);
        Label loopTop = a.CreateLabel("entry");
        Label handler = a.CreateLabel("handler");

        // The handler comes first so that the loop's fall-through is the end of the code.
        a.jmp(loopTop);

        a.Label(ref handler);
        a.push(rbp);
        a.mov(rbp, rsp);
        a.push(rbx);
        a.mov(rax, __qword_ptr[rdi + 0x78]);   // orig_ax
        a.mov(rbx, __qword_ptr[rdi + 0x80]);   // the saved RIP slot
        a.add(__qword_ptr[r14], 1);            // event count
        a.xor(rax, rbx);
        a.rol(rax, 13);
        a.imul(rax, rax, 0x9E37);
        a.add(__qword_ptr[r14 + 8], rax);      // running hash
        a.lea(rcx, __[rax + rbx * 2 + 16]);
        a.cmp(rcx, __qword_ptr[r14 + 16]);
        a.cmovb(rcx, __qword_ptr[r14 + 16]);
        a.mov(__qword_ptr[r14 + 16], rcx);     // running maximum
        a.pop(rbx);
        a.pop(rbp);
        a.ret();

        a.Label(ref loopTop);
        // What the CPU would push on an interrupt from user mode: SS, RSP, RFLAGS, CS, RIP; then orig_ax.
        a.push(0x2b);
        a.push(r11);
        a.push(0x246);
        a.push(0x33);
        a.push(rcx);
        a.push(-1);
        // PUSH_REGS order, so %rsp points at a pt_regs-like block afterwards.
        foreach (var register in NativeEntryWorkload.PushOrder)
        {
            a.push(register);
        }

        a.lea(rbp, __[rsp + 1]); // an encoded frame pointer, as ENCODE_FRAME_POINTER does
        a.mov(rdi, rsp);
        a.call(handler);
        foreach (var register in NativeEntryWorkload.PushOrder.Reverse())
        {
            a.pop(register);
        }

        a.add(rsp, 6 * 8);
        a.dec(r12);
        a.jnz(loopTop); // the last iteration falls through to the end of the code

        using var stream = new MemoryStream();
        a.Assemble(new StreamCodeWriter(stream), codeAddress);
        byte[] code = stream.ToArray();
        int perIteration = CountPerIteration(code, codeAddress);
        if (perIteration != InstructionsPerIterationConstant)
        {
            throw new InvalidOperationException($"The workload has {perIteration} instructions per iteration; update InstructionsPerIterationConstant.");
        }

        return new EntryHandlerWorkload(codeAddress, code, perIteration);
    }

    /// <summary>
    /// Every instruction except the first jump runs once per iteration (the handler is straight-line),
    /// so the per-iteration count is the decoded count minus one.
    /// </summary>
    private static int CountPerIteration(byte[] code, ulong address)
    {
        var decoder = Decoder.Create(64, new ByteArrayCodeReader(code), address);
        int count = 0;
        while (decoder.IP < address + (ulong)code.Length)
        {
            decoder.Decode(out _);
            count++;
        }

        return count - 1;
    }
}
