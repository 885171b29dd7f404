namespace EntryModel.Machine.Loading;

/// <summary>Sizes of what the loader provides besides the image.</summary>
public sealed record KernelLoadOptions
{
    /// <summary>Pages of each task's kernel stack (4 = 16 KiB like x86-64 Linux).</summary>
    public int TaskStackPages { get; init; } = 4;

    public int IrqStackPages { get; init; } = 4;

    /// <summary>Pages of each IST stack the image's gates name.</summary>
    public int IstStackPages { get; init; } = 2;

    /// <summary>Pages of the user stack below <see cref="Tasks.MachineLayout.UserStackTop"/>; 0 for none.</summary>
    public int UserStackPages { get; init; } = 4;

    /// <summary>The name of the first task, created and made current.</summary>
    public string InitTaskName { get; init; } = "init";
}
