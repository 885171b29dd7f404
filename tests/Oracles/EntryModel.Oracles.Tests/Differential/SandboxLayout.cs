namespace EntryModel.Oracles.Tests.Differential;

/// <summary>
/// Where a differential run lives in the guest address space. Every executor (host CPU, Unicorn, the
/// machine model) maps these same addresses, so a sequence and its register values mean the same thing
/// everywhere. Everything sits below 2 GiB: the host harness uses absolute disp32 addressing and the
/// host mapping is made with MAP_32BIT.
/// </summary>
public static class SandboxLayout
{
    public const ulong PageSize = 0x1000;

    /// <summary>Start of the whole sandbox; chosen to be free in a .NET process and below 2 GiB.</summary>
    public const ulong Base = 0x6E00_0000;

    /// <summary>The host harness (prologue and epilogue); only the host executor maps it.</summary>
    public const ulong HarnessAddress = Base;

    /// <summary>The generated sequence is encoded to run here.</summary>
    public const ulong SequenceAddress = Base + 0x1000;

    /// <summary>Room for the sequence plus the host's trailing jump back to the harness.</summary>
    public const ulong SequenceCapacity = PageSize;

    /// <summary>Host-only: input and output register blocks and the saved host RSP.</summary>
    public const ulong StateBlockAddress = Base + 0x2000;

    /// <summary>A dedicated scratch stack (32 KiB); the host executor blocks signals while it is in use.</summary>
    public const ulong StackRegionAddress = Base + 0x3000;

    public const ulong StackRegionSize = 0x8000;

    /// <summary>Initial RSP of every sequence (16-byte aligned).</summary>
    public const ulong StackTop = StackRegionAddress + StackRegionSize - 0x100;

    /// <summary>Bytes below <see cref="StackTop"/> that pushes may write and that are compared.</summary>
    public const int StackWindowSize = 0x200;

    public const ulong StackWindowAddress = StackTop - StackWindowSize;

    /// <summary>The data buffer that memory operands address (through a base register).</summary>
    public const ulong DataAddress = StackRegionAddress + StackRegionSize;

    public const int DataSize = 0x1000;

    /// <summary>End of the sandbox (exclusive).</summary>
    public const ulong End = DataAddress + DataSize;
}
