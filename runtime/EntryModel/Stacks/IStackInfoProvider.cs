namespace EntryModel;

/// <summary>
/// The kernel's <c>get_stack_info</c>: which of the stacks a walk may use holds an address. One
/// provider serves one machine state and one task: that task's stack, the CPU's IRQ and IST stacks,
/// never another task's. The machine implements it; unwinders only ask.
/// </summary>
public interface IStackInfoProvider
{
    bool TryGet(ulong address, out StackInfo stack);
}
