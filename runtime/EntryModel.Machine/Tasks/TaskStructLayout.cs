namespace EntryModel.Machine.Tasks;

/// <summary>
/// Where a task struct keeps what the machine writes when it creates or adopts a task: the saved
/// kernel RSP of a sleeping task (what a <c>__switch_to</c>-style stub stores and loads) and the top
/// of its kernel stack. <see cref="Default"/> matches the default kernel model (TASK_SP, TASK_STACK_TOP).
/// </summary>
public sealed record TaskStructLayout(int SavedRsp, int StackTop, int Size)
{
    public static TaskStructLayout Default { get; } = new(SavedRsp: 0x00, StackTop: 0x08, Size: 0x40);

    /// <summary>The layout an image's constants give (TASK_SP, TASK_STACK_TOP, TASK_SIZE), or null when it does not name them all.</summary>
    public static TaskStructLayout? FromConstants(IReadOnlyDictionary<string, long> constants)
    {
        ArgumentNullException.ThrowIfNull(constants);
        return constants.TryGetValue("TASK_SP", out long sp) && constants.TryGetValue("TASK_STACK_TOP", out long top) && constants.TryGetValue("TASK_SIZE", out long size)
            ? new TaskStructLayout((int)sp, (int)top, (int)size)
            : null;
    }
}
