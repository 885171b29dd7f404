namespace EntryModel.Machine.Cpu;

/// <summary>Model-specific register numbers the machine implements for RDMSR/WRMSR.</summary>
public static class Msr
{
    public const uint Efer = 0xC0000080;
    public const uint Star = 0xC0000081;
    public const uint Lstar = 0xC0000082;
    public const uint Cstar = 0xC0000083;
    public const uint Fmask = 0xC0000084;
    public const uint FsBase = 0xC0000100;
    public const uint GsBase = 0xC0000101;
    public const uint KernelGsBase = 0xC0000102;

    /// <summary>EFER with SCE, LME, LMA and NXE set: 64-bit mode with syscall and no-execute pages.</summary>
    public const ulong EferLongMode = 0xD01;

    /// <summary>The STAR value the project's selectors imply: syscall CS=0x10/SS=0x18, sysretq CS=0x33/SS=0x2b.</summary>
    public const ulong LinuxStar = (0x23UL << 48) | (0x10UL << 32);

    /// <summary>Linux's SYSCALL_MASK: TF, DF, IF, IOPL, AC and NT are cleared on syscall.</summary>
    public const ulong LinuxFmask = RFlags.TF | RFlags.DF | RFlags.IF | RFlags.IOPL | RFlags.AC | RFlags.NT;
}
