namespace EntryModel.Machine.Tasks;

/// <summary>
/// Where the per-CPU variables the machine fills at load time sit in the per-CPU area, whose base is
/// both the GS base (kernel mode) and the TSS base: the 64-bit TSS occupies its first 0x68 bytes.
/// An image that names its PCPU_* constants gets its own layout (<see cref="FromConstants"/>);
/// <see cref="Default"/> (the default kernel model's values) serves images and tests that do not.
/// </summary>
public sealed record PerCpuLayout(int CurrentTask, int TopOfStack, int UserRspScratch, int IrqStackTop, int IrqCount)
{
    /// <summary>TSS.RSP0: the stack the CPU loads on an interrupt from CPL 3.</summary>
    public const int TssRsp0 = 0x04;

    /// <summary>TSS.IST1; IST n is at <c>TssIst1 + 8 * (n - 1)</c>.</summary>
    public const int TssIst1 = 0x24;

    public static PerCpuLayout Default { get; } = new(CurrentTask: 0x80, TopOfStack: 0x88, UserRspScratch: 0x90, IrqStackTop: 0x98, IrqCount: 0xa0);

    public static int TssIst(int index) => TssIst1 + (8 * (index - 1));

    /// <summary>The layout an image's constants give (PCPU_CURRENT_TASK, PCPU_TOP_OF_STACK, PCPU_RSP_SCRATCH, PCPU_IRQ_STACK_PTR, PCPU_IRQ_COUNT), or null when it does not name them all.</summary>
    public static PerCpuLayout? FromConstants(IReadOnlyDictionary<string, long> constants)
    {
        ArgumentNullException.ThrowIfNull(constants);
        return constants.TryGetValue("PCPU_CURRENT_TASK", out long current)
            && constants.TryGetValue("PCPU_TOP_OF_STACK", out long top)
            && constants.TryGetValue("PCPU_RSP_SCRATCH", out long scratch)
            && constants.TryGetValue("PCPU_IRQ_STACK_PTR", out long irq)
            && constants.TryGetValue("PCPU_IRQ_COUNT", out long count)
            ? new PerCpuLayout((int)current, (int)top, (int)scratch, (int)irq, (int)count)
            : null;
    }
}
