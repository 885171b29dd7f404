namespace EntryModel;

/// <summary>
/// One stack's extent, [Low, High): the explicit bounds an unwinder walks within, and the stack it
/// a trace leaves for another stack when this one ends.
/// </summary>
public readonly record struct StackBounds(ulong Low, ulong High, StackKind Kind, string Name)
{
    public bool Contains(ulong address, ulong length = 8) => address >= Low && address + length <= High && address + length >= address;
}
