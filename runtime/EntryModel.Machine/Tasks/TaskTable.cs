using EntryModel.Machine.Memory;

namespace EntryModel.Machine.Tasks;

/// <summary>
/// The place to describe tasks: each gets a kernel stack (with guard page) and a task struct whose
/// fields (<see cref="TaskStructLayout"/>) the model's own switch stub uses. The table holds no
/// scheduling policy; the model's assembly decides who runs.
/// </summary>
public sealed class TaskTable
{
    private readonly GuestMemory memory;
    private readonly StackAllocator stacks;
    private readonly List<KernelTask> tasks = [];

    public TaskTable(GuestMemory memory, StackAllocator stacks)
    {
        this.memory = memory;
        this.stacks = stacks;
    }

    public IReadOnlyList<KernelTask> All => tasks;

    /// <summary>Creates a task with a kernel stack of <paramref name="stackPages"/> pages; its saved RSP starts at the stack top.</summary>
    public KernelTask Create(string name, int stackPages = 4)
    {
        int id = tasks.Count;
        var stack = stacks.AllocateKernel($"task {id} ({name})", StackKind.Task, stackPages);
        ulong address = MachineLayout.TaskStructsBase + ((ulong)id * TaskStructLayout.Size);
        if (!memory.IsMapped(address))
        {
            memory.Map(address & ~GuestMemory.PageMask, GuestMemory.PageSize, PagePermissions.Writable);
        }

        memory.WriteUInt64(address + TaskStructLayout.SavedRsp, stack.Top);
        memory.WriteUInt64(address + TaskStructLayout.StackLow, stack.Low);
        memory.WriteUInt64(address + TaskStructLayout.StackTop, stack.Top);
        memory.WriteUInt64(address + TaskStructLayout.Id, (ulong)id);
        var task = new KernelTask(id, name, stack, address);
        tasks.Add(task);
        return task;
    }

    /// <summary>The RSP saved in the task struct (where a sleeping task's stack walk starts).</summary>
    public ulong SavedRsp(KernelTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return memory.ReadUInt64(task.StructAddress + TaskStructLayout.SavedRsp);
    }

    /// <summary>
    /// Lays out a new task's stack so that a switch stub which pops <paramref name="savedRegisters"/>
    /// callee-saved registers and returns lands at <paramref name="resumeAddress"/> (a ret_from_fork-like
    /// start); the registers start as zero.
    /// </summary>
    public void SeedSwitchFrame(KernelTask task, ulong resumeAddress, int savedRegisters = 6)
    {
        ArgumentNullException.ThrowIfNull(task);
        ulong sp = task.Stack.Top - 8;
        memory.WriteUInt64(sp, resumeAddress);
        for (int i = 0; i < savedRegisters; i++)
        {
            sp -= 8;
            memory.WriteUInt64(sp, 0);
        }

        memory.WriteUInt64(task.StructAddress + TaskStructLayout.SavedRsp, sp);
    }

    /// <summary>The task whose struct the per-CPU current pointer names, if any.</summary>
    public KernelTask? Current()
    {
        if (!memory.TryReadUInt64(MachineLayout.PerCpuAddress + PerCpuLayout.CurrentTask, out ulong current))
        {
            return null;
        }

        return tasks.Find(t => t.StructAddress == current);
    }

    /// <summary>Host side: makes <paramref name="task"/> current (per-CPU current and top of stack, TSS.RSP0).</summary>
    public void MakeCurrent(KernelTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        memory.WriteUInt64(MachineLayout.PerCpuAddress + PerCpuLayout.CurrentTask, task.StructAddress);
        memory.WriteUInt64(MachineLayout.PerCpuAddress + PerCpuLayout.TopOfStack, task.Stack.Top);
        memory.WriteUInt64(MachineLayout.TssAddress + 4, task.Stack.Top);
    }
}
