using System.Runtime.InteropServices;

namespace EntryModel.Oracles.HostCpu;

/// <summary>libc mmap/mprotect/munmap for placing code and data at fixed low addresses in this process.</summary>
public static unsafe partial class LibcMemory
{
    public const int ProtNone = 0;
    public const int ProtRead = 1;
    public const int ProtWrite = 2;
    public const int ProtExec = 4;

    public const int MapPrivate = 0x02;
    public const int MapAnonymous = 0x20;

    /// <summary>Keep the mapping in the first 2 GiB (x86-64 only), so absolute disp32 operands can reach it.</summary>
    public const int Map32Bit = 0x40;

    /// <summary>Use exactly the requested address, but fail instead of clobbering an existing mapping.</summary>
    public const int MapFixedNoReplace = 0x100000;

    private const string Libc = "libc";

    [LibraryImport(Libc, EntryPoint = "mmap", SetLastError = true)]
    private static partial nint Mmap(nint address, nuint length, int protection, int flags, int fd, nint offset);

    [LibraryImport(Libc, EntryPoint = "mprotect", SetLastError = true)]
    private static partial int Mprotect(nint address, nuint length, int protection);

    [LibraryImport(Libc, EntryPoint = "munmap", SetLastError = true)]
    private static partial int Munmap(nint address, nuint length);

    /// <summary>Maps zeroed anonymous memory exactly at <paramref name="address"/> (MAP_32BIT | MAP_FIXED_NOREPLACE).</summary>
    public static void MapAt(ulong address, ulong length, int protection)
    {
        nint result = Mmap((nint)address, (nuint)length, protection, MapPrivate | MapAnonymous | Map32Bit | MapFixedNoReplace, -1, 0);
        if (result == -1)
        {
            throw new InvalidOperationException(
                $"mmap at 0x{address:x} ({length} bytes) failed with errno {Marshal.GetLastPInvokeError()}; " +
                "is another host-CPU executor still alive in this process?");
        }

        if ((ulong)result != address)
        {
            // A kernel older than 4.17 treats MAP_FIXED_NOREPLACE as a hint; do not run at the wrong place.
            _ = Munmap(result, (nuint)length);
            throw new InvalidOperationException($"mmap placed the sandbox at 0x{result:x}, not at 0x{address:x}.");
        }
    }

    public static void Protect(ulong address, ulong length, int protection)
    {
        if (Mprotect((nint)address, (nuint)length, protection) != 0)
        {
            throw new InvalidOperationException($"mprotect(0x{address:x}, {length}, {protection}) failed with errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    public static void Unmap(ulong address, ulong length)
    {
        if (Munmap((nint)address, (nuint)length) != 0)
        {
            throw new InvalidOperationException($"munmap(0x{address:x}) failed with errno {Marshal.GetLastPInvokeError()}.");
        }
    }
}
