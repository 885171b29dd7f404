using System.Runtime.InteropServices;

namespace EntryModel.Oracles.Unicorn;

/// <summary>
/// Raw P/Invoke declarations for libunicorn.so.2 (Unicorn 2.0, /usr/include/unicorn/unicorn.h).
/// Only the calls the oracles need; <see cref="UnicornEngine"/> is the safe face of them.
/// </summary>
internal static unsafe partial class UnicornNative
{
    /// <summary>The Debian libunicorn2 soname; the -dev symlink (libunicorn.so) is not needed at run time.</summary>
    public const string LibraryName = "libunicorn.so.2";

    [LibraryImport(LibraryName, EntryPoint = "uc_version")]
    public static partial uint Version(uint* major, uint* minor);

    [LibraryImport(LibraryName, EntryPoint = "uc_open")]
    public static partial UnicornError Open(UnicornArch arch, UnicornMode mode, nint* engine);

    [LibraryImport(LibraryName, EntryPoint = "uc_close")]
    public static partial UnicornError Close(nint engine);

    [LibraryImport(LibraryName, EntryPoint = "uc_strerror")]
    public static partial nint StrError(UnicornError code);

    [LibraryImport(LibraryName, EntryPoint = "uc_mem_map")]
    public static partial UnicornError MemMap(nint engine, ulong address, nuint size, UnicornProtection perms);

    [LibraryImport(LibraryName, EntryPoint = "uc_mem_write")]
    public static partial UnicornError MemWrite(nint engine, ulong address, byte* bytes, nuint size);

    [LibraryImport(LibraryName, EntryPoint = "uc_mem_read")]
    public static partial UnicornError MemRead(nint engine, ulong address, byte* bytes, nuint size);

    [LibraryImport(LibraryName, EntryPoint = "uc_reg_write")]
    public static partial UnicornError RegWrite(nint engine, UnicornX86Register register, ulong* value);

    /// <summary>
    /// uc_ctl with two 64-bit arguments after the control word (it is variadic; on x86-64 SysV a
    /// fixed-argument call passes them in the same registers). Used for <see cref="TbRemoveCacheControl"/>.
    /// </summary>
    [LibraryImport(LibraryName, EntryPoint = "uc_ctl")]
    public static partial UnicornError Control(nint engine, int control, ulong first, ulong second);

    /// <summary>UC_CTL_WRITE(UC_CTL_TB_REMOVE_CACHE, 2): UC_CTL_TB_REMOVE_CACHE (9) | 2 arguments &lt;&lt; 26 | UC_CTL_IO_WRITE (1) &lt;&lt; 30.</summary>
    public const int TbRemoveCacheControl = 9 | (2 << 26) | (1 << 30);

    [LibraryImport(LibraryName, EntryPoint = "uc_reg_read")]
    public static partial UnicornError RegRead(nint engine, UnicornX86Register register, ulong* value);

    [LibraryImport(LibraryName, EntryPoint = "uc_reg_write_batch")]
    public static partial UnicornError RegWriteBatch(nint engine, UnicornX86Register* registers, void** values, int count);

    [LibraryImport(LibraryName, EntryPoint = "uc_reg_read_batch")]
    public static partial UnicornError RegReadBatch(nint engine, UnicornX86Register* registers, void** values, int count);

    [LibraryImport(LibraryName, EntryPoint = "uc_emu_start")]
    public static partial UnicornError EmuStart(nint engine, ulong begin, ulong until, ulong timeoutMicroseconds, nuint count);

    [LibraryImport(LibraryName, EntryPoint = "uc_emu_stop")]
    public static partial UnicornError EmuStop(nint engine);
}
