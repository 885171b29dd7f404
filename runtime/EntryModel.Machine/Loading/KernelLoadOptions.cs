using EntryModel.Machine.Tasks;

namespace EntryModel.Machine.Loading;

/// <summary>What the loader provides besides the image, and where the image keeps its per-CPU area and first task.</summary>
public sealed record KernelLoadOptions
{
    /// <summary>Pages of each task's kernel stack (4 = 16 KiB like x86-64 Linux).</summary>
    public int TaskStackPages { get; init; } = 4;

    public int IrqStackPages { get; init; } = 4;

    /// <summary>Pages of each IST stack the image's gates name.</summary>
    public int IstStackPages { get; init; } = 2;

    /// <summary>Pages of the user stack below <see cref="MachineLayout.UserStackTop"/>; 0 for none.</summary>
    public int UserStackPages { get; init; } = 4;

    /// <summary>
    /// The image symbol of its per-CPU area (TSS first, then per-CPU variables), e.g. <c>cpu0_area</c>;
    /// null to let the machine map one at <see cref="MachineLayout.PerCpuAddress"/>.
    /// </summary>
    public string? PerCpuAreaSymbol { get; init; }

    /// <summary>The per-CPU layout; null to take it from the image's PCPU_* constants (else <see cref="PerCpuLayout.Default"/>).</summary>
    public PerCpuLayout? PerCpu { get; init; }

    /// <summary>The task-struct layout; null to take it from the image's TASK_* constants (else <see cref="TaskStructLayout.Default"/>).</summary>
    public TaskStructLayout? TaskStruct { get; init; }

    /// <summary>The image symbol of the first task's struct (e.g. <c>task_user</c>); null for a machine-allocated one.</summary>
    public string? InitTaskSymbol { get; init; }

    public string InitTaskName { get; init; } = "init";

    /// <summary>
    /// The default kernel model's conventions: its <c>cpu0_area</c> and <c>task_user</c> symbols
    /// (the layouts come from its constants).
    /// </summary>
    public static KernelLoadOptions DefaultKernel { get; } = new()
    {
        PerCpuAreaSymbol = "cpu0_area",
        InitTaskSymbol = "task_user",
        InitTaskName = "user",
    };
}
