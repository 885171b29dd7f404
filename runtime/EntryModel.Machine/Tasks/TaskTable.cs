using EntryModel.Machine.Memory;

namespace EntryModel.Machine.Tasks;

/// <summary>
/// The place to describe tasks: each gets a kernel stack (with guard page) and a task struct, either
/// allocated by the machine or one the image already holds (<see cref="Adopt"/>). The table writes
/// only the fields of <see cref="TaskStructLayout"/>; it holds no scheduling policy: the model's
/// own assembly decides who runs and switches stacks.
/// </summary>
public sealed class TaskTable
{
    private readonly GuestMemory memory;
    private readonly StackAllocator stacks;
    private readonly ulong perCpuBase;
    private readonly PerCpuLayout perCpu;
    private readonly TaskStructLayout layout;
    private readonly List<KernelTask> tasks = [];
    private ulong nextStruct = MachineLayout.TaskStructsBase;

    public TaskTable(GuestMemory memory, StackAllocator stacks, ulong perCpuBase = MachineLayout.PerCpuAddress, PerCpuLayout? perCpu = null, TaskStructLayout? layout = null)
    {
        this.memory = memory;
        this.stacks = stacks;
        this.perCpuBase = perCpuBase;
        this.perCpu = perCpu ?? PerCpuLayout.Default;
        this.layout = layout ?? TaskStructLayout.Default;
    }

    public IReadOnlyList<KernelTask> All => tasks;

    /// <summary>Creates a task with a machine-allocated task struct and a kernel stack of <paramref name="stackPages"/> pages.</summary>
    public KernelTask Create(string name, int stackPages = 4)
    {
        ulong address = nextStruct;
        nextStruct += (ulong)layout.Size;
        if (!memory.IsMapped(address) || !memory.IsMapped(address + (ulong)layout.Size - 1))
        {
            memory.Map(address & ~GuestMemory.PageMask, GuestMemory.PageSize, PagePermissions.Writable);
        }

        return Adopt(name, address, stackPages);
    }

    /// <summary>Gives the task struct at <paramref name="structAddress"/> (e.g. an image symbol) a kernel stack; its saved RSP starts at the stack top.</summary>
    public KernelTask Adopt(string name, ulong structAddress, int stackPages = 4)
    {
        int id = tasks.Count;
        var stack = stacks.AllocateKernel($"task {id} ({name})", StackKind.Task, stackPages);
        memory.WriteUInt64(structAddress + (ulong)layout.SavedRsp, stack.Top);
        memory.WriteUInt64(structAddress + (ulong)layout.StackTop, stack.Top);
        var task = new KernelTask(id, name, stack, structAddress);
        tasks.Add(task);
        return task;
    }

    /// <summary>The RSP saved in the task struct (where a sleeping task's stack walk starts).</summary>
    public ulong SavedRsp(KernelTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return memory.ReadUInt64(task.StructAddress + (ulong)layout.SavedRsp);
    }

    /// <summary>
    /// Lays out a new task's stack so that a switch stub which pops <paramref name="savedRegisters"/>
    /// callee-saved registers and returns lands at <paramref name="resumeAddress"/> (a ret_from_fork-like
    /// start) with RSP at <c>Top - reservedAtTop</c> (room for a pt_regs the caller fills); the registers
    /// start as zero. Returns that RSP.
    /// </summary>
    public ulong SeedSwitchFrame(KernelTask task, ulong resumeAddress, int savedRegisters = 6, int reservedAtTop = 0)
    {
        ArgumentNullException.ThrowIfNull(task);
        ulong resumeRsp = task.Stack.Top - (ulong)reservedAtTop;
        ulong sp = resumeRsp - 8;
        memory.WriteUInt64(sp, resumeAddress);
        for (int i = 0; i < savedRegisters; i++)
        {
            sp -= 8;
            memory.WriteUInt64(sp, 0);
        }

        memory.WriteUInt64(task.StructAddress + (ulong)layout.SavedRsp, sp);
        return resumeRsp;
    }

    /// <summary>The task whose struct the per-CPU current pointer names, if any.</summary>
    public KernelTask? Current()
    {
        if (!memory.TryReadUInt64(perCpuBase + (ulong)perCpu.CurrentTask, out ulong current))
        {
            return null;
        }

        foreach (var task in tasks)
        {
            if (task.StructAddress == current)
            {
                return task;
            }
        }

        return null;
    }

    /// <summary>Host side: makes <paramref name="task"/> current (per-CPU current and top of stack, TSS.RSP0).</summary>
    public void MakeCurrent(KernelTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        memory.WriteUInt64(perCpuBase + (ulong)perCpu.CurrentTask, task.StructAddress);
        memory.WriteUInt64(perCpuBase + (ulong)perCpu.TopOfStack, task.Stack.Top);
        memory.WriteUInt64(perCpuBase + PerCpuLayout.TssRsp0, task.Stack.Top);
    }
}
