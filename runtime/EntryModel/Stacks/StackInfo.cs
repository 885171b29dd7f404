using System.Runtime.CompilerServices;

namespace EntryModel;

/// <summary>
/// One stack, as the kernel's <c>struct stack_info</c> describes it: [<see cref="Low"/>,
/// <see cref="High"/>), growing down from High, of a kind, with a link to the stack it was entered
/// from (<see cref="TryGetNextSp"/>). The machine allocates and registers these; unwinders receive
/// them from an <see cref="IStackInfoProvider"/> and never leave a stack other than along its link.
/// </summary>
public sealed record StackInfo(string Name, StackKind Kind, ulong Low, ulong High, int IstIndex = 0)
{
    /// <summary>The first usable stack pointer value (the top).</summary>
    public ulong Top => High;

    public ulong Size => High - Low;

    /// <summary>One bit per stack a walk may visit (task, IRQ, IST 1..7, user): what the kernel's <c>stack_mask</c> records.</summary>
    public ulong VisitBit
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => 1UL << Kind switch
        {
            StackKind.Task => 0,
            StackKind.Irq => 1,
            StackKind.Ist => 1 + Math.Clamp(IstIndex, 1, 7),
            StackKind.User => 9,
            _ => 10,
        };
    }

    /// <summary>Whether the byte at <paramref name="address"/> lies on this stack.</summary>
    public bool Contains(ulong address) => address >= Low && address < High;

    /// <summary>
    /// The kernel's <c>stack_access_ok</c>: whether all of [<paramref name="address"/>,
    /// <paramref name="address"/> + <paramref name="length"/>) lies on this stack (no wrap-around).
    /// </summary>
    public bool Contains(ulong address, ulong length) => address >= Low && address <= High && length <= High - address;

    /// <summary>Whether a stack pointer value belongs to this stack (the empty stack's pointer equals High).</summary>
    public bool HoldsPointer(ulong rsp) => rsp > Low && rsp <= High;

    /// <summary>
    /// The link to the stack this one was entered from (<c>next_sp</c>): on the IRQ stack, the
    /// interrupted stack pointer that entry code leaves in its top word; on an IST stack, the RSP of
    /// the hardware frame the CPU pushed at its top. Task and user stacks link nowhere.
    /// </summary>
    public bool TryGetNextSp(IMemoryReader memory, out ulong nextSp)
    {
        ArgumentNullException.ThrowIfNull(memory);
        nextSp = 0;
        return Kind switch
        {
            StackKind.Irq => memory.TryReadUInt64(High - 8, out nextSp),
            StackKind.Ist => memory.TryReadUInt64(High - 16, out nextSp),
            _ => false,
        };
    }

    public override string ToString() => $"{Name} ({Kind}) [0x{Low:x}, 0x{High:x})";
}
