using EntryModel.Machine.Cpu;
using EntryModel.Machine.Execution;
using EntryModel.Machine.Tasks;

namespace EntryModel.Machine.Loading;

/// <summary>A kernel image loaded into a machine, with what the loader set up around it.</summary>
public sealed class LoadedKernel
{
    internal LoadedKernel(X86Machine machine, KernelImage image, ulong perCpuBase, StackAllocator stacks, TaskTable tasks, KernelTask init, StackInfo irqStack, IReadOnlyDictionary<int, StackInfo> istStacks, StackInfo? userStack)
    {
        Machine = machine;
        Image = image;
        PerCpuBase = perCpuBase;
        StackAllocator = stacks;
        Tasks = tasks;
        InitTask = init;
        IrqStack = irqStack;
        IstStacks = istStacks;
        UserStack = userStack;
    }

    public X86Machine Machine { get; }

    public KernelImage Image { get; }

    /// <summary>The per-CPU area: GS base in kernel mode, KERNEL_GS_BASE in user mode, and TR base.</summary>
    public ulong PerCpuBase { get; }

    public StackAllocator StackAllocator { get; }

    public TaskTable Tasks { get; }

    public KernelTask InitTask { get; }

    public StackInfo IrqStack { get; }

    /// <summary>IST stacks by TSS index (1..7), one per index the image's gates use.</summary>
    public IReadOnlyDictionary<int, StackInfo> IstStacks { get; }

    public StackInfo? UserStack { get; }

    /// <summary>The address of a symbol of the image.</summary>
    public ulong Symbol(string name) => Image.Symbols[name].Address;

    /// <summary>Host side: sets RIP and RSP for kernel mode (CPL 0, interrupts as given) on the current task's stack by default.</summary>
    public void EnterKernel(ulong rip, ulong? rsp = null, bool interruptsEnabled = false)
    {
        ref var cpu = ref Machine.Cpu;
        cpu.Rip = rip;
        cpu.Gpr[(int)Gpr.Rsp] = rsp ?? InitTask.Stack.Top;
        cpu.Cs = Selectors.KernelCs;
        cpu.Ss = Selectors.KernelSs;
        cpu.GsBase = PerCpuBase;
        cpu.KernelGsBase = 0;
        cpu.Rflags = RFlags.Reserved1 | (interruptsEnabled ? RFlags.IF : 0);
    }

    /// <summary>Host side: sets RIP and RSP for user mode (CPL 3, IF=1, the per-CPU base parked in KERNEL_GS_BASE for swapgs).</summary>
    public void EnterUser(ulong rip, ulong? rsp = null)
    {
        ref var cpu = ref Machine.Cpu;
        cpu.Rip = rip;
        cpu.Gpr[(int)Gpr.Rsp] = rsp ?? UserStack?.Top ?? throw new InvalidOperationException("no user stack was allocated");
        cpu.Cs = Selectors.UserCs;
        cpu.Ss = Selectors.UserSs;
        cpu.GsBase = 0;
        cpu.KernelGsBase = PerCpuBase;
        cpu.Rflags = RFlags.Reserved1 | RFlags.IF;
    }
}
