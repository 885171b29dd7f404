namespace EntryModel.Machine.Tasks;

/// <summary>Offsets in the per-CPU area (<c>%gs:</c> in kernel mode) that the machine fills and the model's entry code uses.</summary>
public static class PerCpuLayout
{
    /// <summary>The running task's struct address (<c>current_task</c>).</summary>
    public const int CurrentTask = 0x00;

    /// <summary>The top of the running task's kernel stack (<c>cpu_current_top_of_stack</c>).</summary>
    public const int TopOfStack = 0x08;

    /// <summary>The top of the per-CPU IRQ stack (<c>irq_stack_ptr</c>).</summary>
    public const int IrqStackTop = 0x10;

    /// <summary>Scratch slot where syscall entry parks the user RSP (<c>rsp_scratch</c>).</summary>
    public const int UserRspScratch = 0x18;

    /// <summary>IRQ nesting count (<c>irq_count</c>, -1 when not on the IRQ stack).</summary>
    public const int IrqCount = 0x20;
}
