namespace EntryModel.Unwinding.Tests.Support;

/// <summary>
/// The stacks of the unit tests' machine: a task stack, the IRQ stack and one IST stack, as a
/// <see cref="IStackInfoProvider"/> (the kernel's get_stack_info for one task).
/// </summary>
internal sealed class TestStacks : IStackInfoProvider
{
    public static readonly StackInfo Task = new("task", StackKind.Task, 0xffffc90000004000, 0xffffc90000008000);
    public static readonly StackInfo Irq = new("irq", StackKind.Irq, 0xffff88807fc04000, 0xffff88807fc08000);
    public static readonly StackInfo Ist = new("ist1", StackKind.Ist, 0xfffffe0000005000, 0xfffffe0000006000, IstIndex: 1);

    /// <summary>A task struct outside every stack; its flags word is at <see cref="SyntheticKernel.TaskFlagsOffset"/>.</summary>
    public const ulong TaskStruct = 0xffff888000100000;

    public static TestStacks All { get; } = new(Task, Irq, Ist);

    private readonly StackInfo[] stacks;

    public TestStacks(params StackInfo[] stacks) => this.stacks = stacks;

    public bool TryGet(ulong address, out StackInfo stack)
    {
        foreach (var s in stacks)
        {
            if (s.Contains(address))
            {
                stack = s;
                return true;
            }
        }

        stack = null!;
        return false;
    }
}
