using EntryModel.Oracles.HostCpu;
using System.Runtime.InteropServices;
using EntryModel.Oracles.Tests.Differential;

namespace EntryModel.Oracles.Tests.HostCpu;

/// <summary>
/// Runs sequences natively on the processor this process runs on. The whole sandbox is mapped at
/// <see cref="SandboxLayout.Base"/> (MAP_32BIT), the harness is encoded once, and each run copies the
/// sequence plus a jump back to the epilogue into the sequence page (writable only while it is written).
/// Only one instance can exist at a time, since the addresses are fixed.
/// A sequence that faults kills the process: callers must give it user-mode-safe code (see the generator).
/// </summary>
public sealed unsafe class HostCpuExecutor : ISandboxExecutor
{
    private const ulong SandboxSize = SandboxLayout.End - SandboxLayout.Base;
    private static int inUse;
    private bool disposed;

    public HostCpuExecutor()
    {
        if (RuntimeInformation.ProcessArchitecture != Architecture.X64 || !OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("The host-CPU oracle needs x86-64 Linux.");
        }

        if (Interlocked.Exchange(ref inUse, 1) != 0)
        {
            throw new InvalidOperationException("Only one HostCpuExecutor can exist at a time: the sandbox addresses are fixed.");
        }

        bool mapped = false;
        try
        {
            LibcMemory.MapAt(SandboxLayout.Base, SandboxSize, LibcMemory.ProtRead | LibcMemory.ProtWrite);
            mapped = true;
            byte[] prologue = HostCpuHarness.EncodePrologue();
            byte[] epilogue = HostCpuHarness.EncodeEpilogue();
            if ((ulong)prologue.Length > HostCpuHarness.EpilogueAddress - SandboxLayout.HarnessAddress)
            {
                throw new InvalidOperationException("The harness prologue overlaps the epilogue.");
            }

            prologue.CopyTo(Span(SandboxLayout.HarnessAddress, prologue.Length));
            epilogue.CopyTo(Span(HostCpuHarness.EpilogueAddress, epilogue.Length));
            LibcMemory.Protect(SandboxLayout.HarnessAddress, SandboxLayout.PageSize, LibcMemory.ProtRead | LibcMemory.ProtExec);
        }
        catch
        {
            if (mapped)
            {
                LibcMemory.Unmap(SandboxLayout.Base, SandboxSize);
            }

            Volatile.Write(ref inUse, 0);
            throw;
        }
    }

    public string Name => "host CPU";

    public SandboxState Run(ReadOnlySpan<byte> code, SandboxState initial)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ulong returnJumpAddress = SandboxLayout.SequenceAddress + (ulong)code.Length;
        byte[] returnJump = HostCpuHarness.EncodeReturnJump(returnJumpAddress);
        if ((ulong)(code.Length + returnJump.Length) > SandboxLayout.SequenceCapacity)
        {
            throw new ArgumentException($"A sequence of {code.Length} bytes does not fit the sequence page.", nameof(code));
        }

        LibcMemory.Protect(SandboxLayout.SequenceAddress, SandboxLayout.SequenceCapacity, LibcMemory.ProtRead | LibcMemory.ProtWrite);
        Span<byte> page = Span(SandboxLayout.SequenceAddress, (int)SandboxLayout.SequenceCapacity);
        page.Fill(0xCC); // int3 beyond the sequence: a stray jump traps instead of running stale bytes
        code.CopyTo(page);
        returnJump.CopyTo(page[code.Length..]);
        LibcMemory.Protect(SandboxLayout.SequenceAddress, SandboxLayout.SequenceCapacity, LibcMemory.ProtRead | LibcMemory.ProtExec);

        var input = new Span<ulong>((void*)HostCpuHarness.InputRegisters, SandboxState.RegisterCount);
        initial.Registers.CopyTo(input);
        *(ulong*)HostCpuHarness.InputRflags = (initial.Rflags & (ulong)RflagsBits.Status) | (ulong)RflagsBits.Reserved1;
        initial.Data.CopyTo(Span(SandboxLayout.DataAddress, SandboxLayout.DataSize));
        initial.StackWindow.CopyTo(Span(SandboxLayout.StackWindowAddress, SandboxLayout.StackWindowSize));

        byte* signalMask = stackalloc byte[LibcSignals.SignalSetBytes];
        LibcSignals.BlockAll(signalMask);
        try
        {
            ((delegate* unmanaged<void>)SandboxLayout.HarnessAddress)();
        }
        finally
        {
            LibcSignals.Restore(signalMask);
        }

        var final = new SandboxState { Rflags = *(ulong*)HostCpuHarness.OutputRflags };
        new ReadOnlySpan<ulong>((void*)HostCpuHarness.OutputRegisters, SandboxState.RegisterCount).CopyTo(final.Registers);
        Span(SandboxLayout.DataAddress, SandboxLayout.DataSize).CopyTo(final.Data);
        Span(SandboxLayout.StackWindowAddress, SandboxLayout.StackWindowSize).CopyTo(final.StackWindow);
        return final;
    }

    public void Dispose()
    {
        if (!disposed)
        {
            disposed = true;
            LibcMemory.Unmap(SandboxLayout.Base, SandboxSize);
            Volatile.Write(ref inUse, 0);
        }
    }

    private static Span<byte> Span(ulong address, int length) => new((void*)address, length);
}
