namespace EntryModel.Machine.Tasks;

/// <summary>
/// Where a task struct keeps what the machine writes when it creates or adopts a task: the saved
/// kernel RSP of a sleeping task (what a <c>__switch_to</c>-style stub stores and loads) and the top
/// of its kernel stack. <see cref="Default"/> matches the default kernel model (TASK_SP, TASK_STACK_TOP).
/// </summary>
public sealed record TaskStructLayout(int SavedRsp, int StackTop, int Size)
{
    public static TaskStructLayout Default { get; } = new(SavedRsp: 0x00, StackTop: 0x08, Size: 0x40);
}
