using System.Runtime.InteropServices;

namespace EntryModel.Oracles.Unicorn;

/// <summary>
/// One Unicorn x86-64 emulator instance (uc_engine). API misuse throws <see cref="UnicornException"/>;
/// a guest that stops on a fault is not misuse, so <see cref="Run"/> returns the uc_err instead.
/// </summary>
public sealed unsafe class UnicornEngine : IDisposable
{
    /// <summary>The 16 GPRs in x86 encoding order (RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8..R15).</summary>
    public static readonly IReadOnlyList<UnicornX86Register> GeneralRegistersInEncodingOrder =
    [
        UnicornX86Register.Rax, UnicornX86Register.Rcx, UnicornX86Register.Rdx, UnicornX86Register.Rbx,
        UnicornX86Register.Rsp, UnicornX86Register.Rbp, UnicornX86Register.Rsi, UnicornX86Register.Rdi,
        UnicornX86Register.R8, UnicornX86Register.R9, UnicornX86Register.R10, UnicornX86Register.R11,
        UnicornX86Register.R12, UnicornX86Register.R13, UnicornX86Register.R14, UnicornX86Register.R15,
    ];

    private const int GeneralRegisterCount = 16;
    private readonly UnicornX86Register[] batchRegisters = [.. GeneralRegistersInEncodingOrder];
    private nint handle;

    private UnicornEngine(nint handle)
    {
        this.handle = handle;
    }

    /// <summary>Opens an engine in 64-bit long mode (UC_ARCH_X86, UC_MODE_64).</summary>
    public static UnicornEngine OpenX86_64()
    {
        UnicornLibrary.EnsureAvailable();
        nint engine;
        Check("uc_open", UnicornNative.Open(UnicornArch.X86, UnicornMode.Mode64, &engine));
        return new UnicornEngine(engine);
    }

    /// <summary>Maps <paramref name="size"/> bytes (4 KiB multiples) at <paramref name="address"/>.</summary>
    public void Map(ulong address, ulong size, UnicornProtection protection) =>
        Check("uc_mem_map", UnicornNative.MemMap(Handle, address, (nuint)size, protection));

    public void WriteMemory(ulong address, ReadOnlySpan<byte> bytes)
    {
        fixed (byte* p = bytes)
        {
            Check("uc_mem_write", UnicornNative.MemWrite(Handle, address, p, (nuint)bytes.Length));
        }
    }

    /// <summary>
    /// Drops the translated blocks of [<paramref name="begin"/>, <paramref name="end"/>). Unicorn 2.0.1
    /// does not always drop the blocks of code that uc_mem_write replaces (seen after string
    /// instructions, loop/jrcxz and popfq): the next run at the same address would execute the old code.
    /// </summary>
    public void RemoveTranslations(ulong begin, ulong end) =>
        Check("uc_ctl(UC_CTL_TB_REMOVE_CACHE)", UnicornNative.Control(Handle, UnicornNative.TbRemoveCacheControl, begin, end));

    public void ReadMemory(ulong address, Span<byte> bytes)
    {
        fixed (byte* p = bytes)
        {
            Check("uc_mem_read", UnicornNative.MemRead(Handle, address, p, (nuint)bytes.Length));
        }
    }

    public void WriteRegister(UnicornX86Register register, ulong value) =>
        Check("uc_reg_write", UnicornNative.RegWrite(Handle, register, &value));

    public ulong ReadRegister(UnicornX86Register register)
    {
        ulong value;
        Check("uc_reg_read", UnicornNative.RegRead(Handle, register, &value));
        return value;
    }

    /// <summary>Writes all 16 GPRs from <paramref name="values"/> (encoding order) in one call.</summary>
    public void WriteGeneralRegisters(ReadOnlySpan<ulong> values)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(values.Length, GeneralRegisterCount, nameof(values));
        void** pointers = stackalloc void*[GeneralRegisterCount];
        fixed (ulong* v = values)
        fixed (UnicornX86Register* r = batchRegisters)
        {
            for (int i = 0; i < GeneralRegisterCount; i++)
            {
                pointers[i] = v + i;
            }

            Check("uc_reg_write_batch", UnicornNative.RegWriteBatch(Handle, r, pointers, GeneralRegisterCount));
        }
    }

    /// <summary>Reads all 16 GPRs into <paramref name="values"/> (encoding order) in one call.</summary>
    public void ReadGeneralRegisters(Span<ulong> values)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(values.Length, GeneralRegisterCount, nameof(values));
        void** pointers = stackalloc void*[GeneralRegisterCount];
        fixed (ulong* v = values)
        fixed (UnicornX86Register* r = batchRegisters)
        {
            for (int i = 0; i < GeneralRegisterCount; i++)
            {
                pointers[i] = v + i;
            }

            Check("uc_reg_read_batch", UnicornNative.RegReadBatch(Handle, r, pointers, GeneralRegisterCount));
        }
    }

    /// <summary>
    /// Emulates from <paramref name="begin"/> until RIP reaches <paramref name="until"/>, or
    /// <paramref name="count"/> instructions (0 = no limit), or the timeout (0 = none).
    /// Returns <see cref="UnicornError.Ok"/> or the fault that stopped the guest.
    /// </summary>
    public UnicornError Run(ulong begin, ulong until, ulong timeoutMicroseconds = 0, ulong count = 0) =>
        UnicornNative.EmuStart(Handle, begin, until, timeoutMicroseconds, (nuint)count);

    /// <summary>uc_emu_stop, for hooks that end a run early.</summary>
    public void Stop() => Check("uc_emu_stop", UnicornNative.EmuStop(Handle));

    /// <summary>uc_strerror's text for an error code.</summary>
    public static string Describe(UnicornError error) =>
        Marshal.PtrToStringUTF8(UnicornNative.StrError(error)) ?? error.ToString();

    public void Dispose()
    {
        if (handle != 0)
        {
            _ = UnicornNative.Close(handle);
            handle = 0;
        }
    }

    private nint Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(handle == 0, this);
            return handle;
        }
    }

    private static void Check(string operation, UnicornError error)
    {
        if (error != UnicornError.Ok)
        {
            throw new UnicornException(operation, error, Describe(error));
        }
    }
}
