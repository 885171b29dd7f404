namespace EntryModel.Machine.Tasks;

/// <summary>
/// One stack of the machine: [<see cref="Low"/>, <see cref="High"/>), growing down from High.
/// IST stacks have <see cref="StackKind.Exception"/> and their TSS index. A guard page (unmapped) sits directly below every kernel stack the machine allocates.
/// </summary>
public sealed record StackInfo(string Name, StackKind Kind, ulong Low, ulong High, int IstIndex = 0)
{
    /// <summary>The bounds as unwinders receive them.</summary>
    public StackBounds Bounds => new(Low, High, Kind, Name);

    /// <summary>The first usable stack pointer value (the top).</summary>
    public ulong Top => High;

    public ulong Size => High - Low;

    /// <summary>Whether <paramref name="address"/> lies on this stack.</summary>
    public bool Contains(ulong address) => address >= Low && address < High;

    /// <summary>Whether a stack pointer value belongs to this stack (the empty stack's pointer equals High).</summary>
    public bool HoldsPointer(ulong rsp) => rsp > Low && rsp <= High;

    public override string ToString() => $"{Name} ({Kind}) [0x{Low:x}, 0x{High:x})";
}
