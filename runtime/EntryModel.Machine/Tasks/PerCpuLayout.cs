namespace EntryModel.Machine.Tasks;

/// <summary>
/// Where the per-CPU variables the machine fills at load time sit in the per-CPU area, whose base is
/// both the GS base (kernel mode) and the TSS base: the 64-bit TSS occupies its first 0x68 bytes.
/// <see cref="Default"/> is the default kernel model's layout (its KernelAbi PCPU_* constants).
/// </summary>
public sealed record PerCpuLayout(int CurrentTask, int TopOfStack, int UserRspScratch, int IrqStackTop, int IrqCount)
{
    /// <summary>TSS.RSP0: the stack the CPU loads on an interrupt from CPL 3.</summary>
    public const int TssRsp0 = 0x04;

    /// <summary>TSS.IST1; IST n is at <c>TssIst1 + 8 * (n - 1)</c>.</summary>
    public const int TssIst1 = 0x24;

    public static PerCpuLayout Default { get; } = new(CurrentTask: 0x80, TopOfStack: 0x88, UserRspScratch: 0x90, IrqStackTop: 0x98, IrqCount: 0xa0);

    public static int TssIst(int index) => TssIst1 + (8 * (index - 1));
}
