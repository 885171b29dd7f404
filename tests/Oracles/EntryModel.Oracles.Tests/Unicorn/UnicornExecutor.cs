using EntryModel.Oracles.Tests.Differential;
using EntryModel.Oracles.Unicorn;

namespace EntryModel.Oracles.Tests.Unicorn;

/// <summary>
/// Runs sequences in Unicorn (libunicorn2, QEMU's TCG underneath) with the sequence page, the scratch
/// stack and the data buffer mapped at the same addresses as on the host. The run starts at
/// <see cref="SandboxLayout.SequenceAddress"/> and stops when RIP reaches the end of the code.
/// </summary>
public sealed class UnicornExecutor : ISandboxExecutor
{
    /// <summary>A generated sequence is short; anything slower than this is a runaway.</summary>
    private const ulong TimeoutMicroseconds = 1_000_000;

    private readonly UnicornEngine engine;
    private readonly byte[] blankPage = new byte[SandboxLayout.SequenceCapacity];
    private readonly ulong[] registers = new ulong[SandboxState.RegisterCount];

    public UnicornExecutor()
    {
        engine = UnicornEngine.OpenX86_64();
        engine.Map(SandboxLayout.SequenceAddress, SandboxLayout.SequenceCapacity, UnicornProtection.Read | UnicornProtection.Exec);
        engine.Map(SandboxLayout.StackRegionAddress, SandboxLayout.StackRegionSize, UnicornProtection.Read | UnicornProtection.Write);
        engine.Map(SandboxLayout.DataAddress, (ulong)SandboxLayout.DataSize, UnicornProtection.Read | UnicornProtection.Write);
        Array.Fill(blankPage, (byte)0xCC);
    }

    public string Name => "Unicorn";

    public SandboxState Run(ReadOnlySpan<byte> code, SandboxState initial)
    {
        if ((ulong)code.Length > SandboxLayout.SequenceCapacity)
        {
            throw new ArgumentException($"A sequence of {code.Length} bytes does not fit the sequence page.", nameof(code));
        }

        // Same bytes as the host: int3 filler behind the sequence. uc_mem_write drops translated blocks
        // of the page it writes (checked by UnicornExecutorTests), so reusing the address is safe.
        engine.WriteMemory(SandboxLayout.SequenceAddress, blankPage);
        engine.WriteMemory(SandboxLayout.SequenceAddress, code);
        engine.RemoveTranslations(SandboxLayout.SequenceAddress, SandboxLayout.SequenceAddress + SandboxLayout.SequenceCapacity);
        engine.WriteMemory(SandboxLayout.DataAddress, initial.Data);
        engine.WriteMemory(SandboxLayout.StackWindowAddress, initial.StackWindow);
        engine.WriteGeneralRegisters(initial.Registers);
        engine.WriteRegister(UnicornX86Register.Rflags, (initial.Rflags & (ulong)RflagsBits.Status) | (ulong)RflagsBits.Reserved1);

        ulong end = SandboxLayout.SequenceAddress + (ulong)code.Length;
        UnicornError error = engine.Run(SandboxLayout.SequenceAddress, end, TimeoutMicroseconds);
        ulong rip = engine.ReadRegister(UnicornX86Register.Rip);
        if (error != UnicornError.Ok || rip != end)
        {
            throw new SandboxRunException(
                $"Unicorn stopped at 0x{rip:x} instead of 0x{end:x}: {error} ({UnicornEngine.Describe(error)}).");
        }

        var final = new SandboxState { Rflags = engine.ReadRegister(UnicornX86Register.Rflags) };
        engine.ReadGeneralRegisters(registers);
        registers.CopyTo(final.Registers, 0);
        engine.ReadMemory(SandboxLayout.DataAddress, final.Data);
        engine.ReadMemory(SandboxLayout.StackWindowAddress, final.StackWindow);
        return final;
    }

    public void Dispose() => engine.Dispose();
}
