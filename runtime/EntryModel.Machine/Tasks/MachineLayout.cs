namespace EntryModel.Machine.Tasks;

/// <summary>Where the machine places what it provides to a loaded kernel (Linux-like address regions).</summary>
public static class MachineLayout
{
    /// <summary>The IDT (256 gates, one page, read-only to the guest), in a cpu_entry_area-like region.</summary>
    public const ulong IdtAddress = 0xfffffe0000000000;

    /// <summary>The per-CPU area the machine maps when the image has none: GS base and TSS base (see <see cref="PerCpuLayout"/>).</summary>
    public const ulong PerCpuAddress = 0xfffffe0000001000;

    /// <summary>Kernel stacks (task, IRQ, IST), each above an unmapped guard page; vmalloc-like.</summary>
    public const ulong KernelStacksBase = 0xffffc90000000000;

    /// <summary>Task structs, in a direct-map-like region.</summary>
    public const ulong TaskStructsBase = 0xffff888000000000;

    /// <summary>The top of the default user stack.</summary>
    public const ulong UserStackTop = 0x7ffffffff000;
}
