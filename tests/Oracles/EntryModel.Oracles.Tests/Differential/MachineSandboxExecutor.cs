using EntryModel.Machine.Cpu;
using EntryModel.Machine.Execution;
using EntryModel.Machine.Memory;

namespace EntryModel.Oracles.Tests.Differential;

/// <summary>
/// Runs sequences on the modelled machine (the system under test) at CPL 3, with the sequence page,
/// scratch stack and data buffer mapped as user pages at the sandbox addresses. There is no IDT, so a
/// fault ends the run with a typed stop, which is reported as a <see cref="SandboxRunException"/>.
/// One machine is reused: rewriting the code page each run also exercises the decoded-instruction cache.
/// </summary>
public sealed class MachineSandboxExecutor : ISandboxExecutor
{
    /// <summary>Far more than any generated sequence or test workload retires.</summary>
    private const long InstructionLimit = 1_000_000;

    private readonly X86Machine machine = new();
    private readonly byte[] blankPage = new byte[SandboxLayout.SequenceCapacity];

    public MachineSandboxExecutor()
    {
        machine.Memory.Map(SandboxLayout.SequenceAddress, SandboxLayout.SequenceCapacity, PagePermissions.User | PagePermissions.Executable);
        machine.Memory.Map(SandboxLayout.StackRegionAddress, SandboxLayout.StackRegionSize, PagePermissions.User | PagePermissions.Writable);
        machine.Memory.Map(SandboxLayout.DataAddress, (ulong)SandboxLayout.DataSize, PagePermissions.User | PagePermissions.Writable);
        Array.Fill(blankPage, (byte)0xCC);
    }

    public string Name => "machine";

    public SandboxState Run(ReadOnlySpan<byte> code, SandboxState initial)
    {
        if ((ulong)code.Length > SandboxLayout.SequenceCapacity)
        {
            throw new ArgumentException($"A sequence of {code.Length} bytes does not fit the sequence page.", nameof(code));
        }

        machine.Memory.Write(SandboxLayout.SequenceAddress, blankPage);
        machine.Memory.Write(SandboxLayout.SequenceAddress, code);
        machine.Memory.Write(SandboxLayout.DataAddress, initial.Data);
        machine.Memory.Write(SandboxLayout.StackWindowAddress, initial.StackWindow);

        ref CpuState cpu = ref machine.Cpu;
        for (int i = 0; i < SandboxState.RegisterCount; i++)
        {
            cpu.Gpr[i] = initial.Registers[i];
        }

        cpu.Rflags = (initial.Rflags & (ulong)RflagsBits.Status) | (ulong)RflagsBits.Reserved1;
        cpu.Rip = SandboxLayout.SequenceAddress;
        cpu.Cs = Selectors.UserCs;
        cpu.Ss = Selectors.UserSs;

        ulong end = SandboxLayout.SequenceAddress + (ulong)code.Length;
        StopReason stop = machine.RunUntil(end, InstructionLimit);
        if (stop.Kind != StopKind.Breakpoint || stop.Rip != end)
        {
            throw new SandboxRunException($"the machine stopped with {stop} instead of reaching 0x{end:x}");
        }

        var final = new SandboxState { Rflags = machine.Cpu.Rflags };
        for (int i = 0; i < SandboxState.RegisterCount; i++)
        {
            final.Registers[i] = machine.Cpu.Gpr[i];
        }

        machine.Memory.Read(SandboxLayout.DataAddress, SandboxLayout.DataSize).CopyTo(final.Data, 0);
        machine.Memory.Read(SandboxLayout.StackWindowAddress, SandboxLayout.StackWindowSize).CopyTo(final.StackWindow, 0);
        return final;
    }

    public void Dispose()
    {
        // The machine is managed memory only.
    }
}
