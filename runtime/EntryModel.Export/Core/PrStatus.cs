using System.Buffers.Binary;

namespace EntryModel.Export.Core;

/// <summary>
/// The descriptor of an NT_PRSTATUS note as x86-64 Linux lays out <c>struct elf_prstatus</c>
/// (linux/elfcore.h, 336 bytes): the signal that stopped the thread (<c>pr_info.si_signo</c> and
/// <c>pr_cursig</c>), its pid, zero times and masks, the registers at <c>pr_reg</c> (offset 112)
/// and <c>pr_fpvalid</c> 0 (no floating-point state is dumped).
/// </summary>
public static class PrStatus
{
    public const int Size = 336;

    private const int CurrentSignalOffset = 12;
    private const int PidOffset = 32;
    private const int RegistersOffset = 112;

    public static byte[] Encode(UserRegisters registers, int signal, int pid)
    {
        ArgumentNullException.ThrowIfNull(registers);
        var bytes = new byte[Size];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, signal);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(CurrentSignalOffset), checked((short)signal));
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(PidOffset), pid);
        registers.WriteTo(bytes.AsSpan(RegistersOffset, UserRegisters.Size));
        return bytes;
    }
}
