namespace EntryModel.Machine.Cpu;

/// <summary>The Linux GDT selectors the model uses (fixed project convention).</summary>
public static class Selectors
{
    public const ushort KernelCs = 0x10;
    public const ushort KernelSs = 0x18;
    public const ushort UserCs = 0x33;
    public const ushort UserSs = 0x2b;

    /// <summary>The 32-bit user code selector sysret's STAR base names (STAR[63:48]).</summary>
    public const ushort User32Cs = 0x23;
}
