using System.Buffers.Binary;

namespace EntryModel.Export.Core;

/// <summary>
/// x86-64 Linux's <c>struct user_regs_struct</c> (asm/user_64.h), the register set an NT_PRSTATUS
/// note carries as <c>pr_reg</c> and gdb reads back: 27 words in the order below.
/// </summary>
public sealed record UserRegisters
{
    /// <summary>Bytes of the structure: 27 unsigned longs.</summary>
    public const int Size = 27 * 8;

    public ulong R15 { get; init; }
    public ulong R14 { get; init; }
    public ulong R13 { get; init; }
    public ulong R12 { get; init; }
    public ulong Rbp { get; init; }
    public ulong Rbx { get; init; }
    public ulong R11 { get; init; }
    public ulong R10 { get; init; }
    public ulong R9 { get; init; }
    public ulong R8 { get; init; }
    public ulong Rax { get; init; }
    public ulong Rcx { get; init; }
    public ulong Rdx { get; init; }
    public ulong Rsi { get; init; }
    public ulong Rdi { get; init; }

    /// <summary>The syscall number on syscall entry, else -1 (as the kernel fills it for a non-syscall stop).</summary>
    public ulong OrigRax { get; init; } = ulong.MaxValue;
    public ulong Rip { get; init; }
    public ulong Cs { get; init; }
    public ulong Eflags { get; init; }
    public ulong Rsp { get; init; }
    public ulong Ss { get; init; }
    public ulong FsBase { get; init; }
    public ulong GsBase { get; init; }
    public ulong Ds { get; init; }
    public ulong Es { get; init; }
    public ulong Fs { get; init; }
    public ulong Gs { get; init; }

    /// <summary>The words in the structure's order.</summary>
    public IReadOnlyList<ulong> Words() =>
        [R15, R14, R13, R12, Rbp, Rbx, R11, R10, R9, R8, Rax, Rcx, Rdx, Rsi, Rdi, OrigRax, Rip, Cs, Eflags, Rsp, Ss, FsBase, GsBase, Ds, Es, Fs, Gs];

    public void WriteTo(Span<byte> destination)
    {
        var words = Words();
        for (int i = 0; i < words.Count; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(destination[(8 * i)..], words[i]);
        }
    }
}
