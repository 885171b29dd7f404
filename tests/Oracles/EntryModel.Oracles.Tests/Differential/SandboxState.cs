using System.Globalization;
using System.Text;

namespace EntryModel.Oracles.Tests.Differential;

/// <summary>
/// Everything a sequence can read or change: the 16 GPRs (x86 encoding order: RAX, RCX, RDX, RBX, RSP,
/// RBP, RSI, RDI, R8..R15), RFLAGS, the data buffer at <see cref="SandboxLayout.DataAddress"/> and the
/// stack window just below <see cref="SandboxLayout.StackTop"/>.
/// </summary>
public sealed class SandboxState
{
    public const int RegisterCount = 16;
    public const int RspIndex = 4;

    private static readonly string[] RegisterNames =
        ["rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"];

    public ulong[] Registers { get; } = new ulong[RegisterCount];

    /// <summary>Only <see cref="RflagsBits.Compared"/> bits are meaningful on input; others are forced by the executors.</summary>
    public ulong Rflags { get; set; }

    public byte[] Data { get; } = new byte[SandboxLayout.DataSize];

    public byte[] StackWindow { get; } = new byte[SandboxLayout.StackWindowSize];

    public static string RegisterName(int index) => RegisterNames[index];

    public SandboxState Clone()
    {
        var copy = new SandboxState { Rflags = Rflags };
        Registers.CopyTo(copy.Registers, 0);
        Data.CopyTo(copy.Data, 0);
        StackWindow.CopyTo(copy.StackWindow, 0);
        return copy;
    }

    /// <summary>Registers and flags, one per line, for failure messages.</summary>
    public string DescribeRegisters()
    {
        var text = new StringBuilder();
        for (int i = 0; i < RegisterCount; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"%{RegisterNames[i]} = 0x{Registers[i]:x16}\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"rflags = 0x{Rflags:x}\n");
        return text.ToString();
    }
}
