namespace EntryModel.Machine.Tasks;

/// <summary>Field offsets of the machine's minimal task struct, which a <c>__switch_to</c>-style stub reads and writes.</summary>
public static class TaskStructLayout
{
    /// <summary>The saved kernel RSP of a task that is not running (<c>thread.sp</c>).</summary>
    public const int SavedRsp = 0x00;

    /// <summary>The low end of the task's kernel stack (<c>stack</c>).</summary>
    public const int StackLow = 0x08;

    /// <summary>The top of the task's kernel stack.</summary>
    public const int StackTop = 0x10;

    public const int Id = 0x18;

    /// <summary>Free for the model's use (flags such as the task-flag strategy's).</summary>
    public const int Flags = 0x20;

    public const int Size = 0x100;
}
