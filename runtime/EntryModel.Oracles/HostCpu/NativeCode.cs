namespace EntryModel.Oracles.HostCpu;

/// <summary>
/// Code placed at a fixed low address in this process and run natively (x86-64 Linux): mapped
/// writable, copied, then made read+execute. Only user-mode-safe code may run here: a fault kills
/// the process.
/// </summary>
public sealed unsafe class NativeCode : IDisposable
{
    private readonly ulong length;
    private bool disposed;

    public NativeCode(ulong address, byte[] code)
    {
        ArgumentNullException.ThrowIfNull(code);
        if (!OperatingSystem.IsLinux() || System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture != System.Runtime.InteropServices.Architecture.X64)
        {
            throw new PlatformNotSupportedException("native code runs on x86-64 Linux only");
        }

        Address = address;
        length = ((ulong)code.Length + 4095) & ~4095UL;
        LibcMemory.MapAt(address, length, LibcMemory.ProtRead | LibcMemory.ProtWrite);
        code.CopyTo(new Span<byte>((void*)address, code.Length));
        LibcMemory.Protect(address, length, LibcMemory.ProtRead | LibcMemory.ProtExec);
    }

    public ulong Address { get; }

    /// <summary>Calls the code as <c>void f(long)</c>.</summary>
    public void Call(long argument)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ((delegate* unmanaged<long, void>)Address)(argument);
    }

    /// <summary>Calls the code as <c>long f(long)</c>.</summary>
    public long Run(long argument)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        return ((delegate* unmanaged<long, long>)Address)(argument);
    }

    public void Dispose()
    {
        if (!disposed)
        {
            disposed = true;
            LibcMemory.Unmap(Address, length);
        }
    }
}
