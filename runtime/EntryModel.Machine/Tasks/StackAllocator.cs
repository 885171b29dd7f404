using EntryModel.Machine.Memory;

namespace EntryModel.Machine.Tasks;

/// <summary>Maps kernel stacks in the stacks region, each with an unmapped guard page below, and registers them.</summary>
public sealed class StackAllocator
{
    private readonly GuestMemory memory;
    private readonly StackRegistry registry;
    private ulong next = MachineLayout.KernelStacksBase;

    public StackAllocator(GuestMemory memory, StackRegistry registry)
    {
        this.memory = memory;
        this.registry = registry;
    }

    /// <summary>Maps a kernel stack of <paramref name="pages"/> pages (read/write, supervisor) above a guard page.</summary>
    public StackInfo AllocateKernel(string name, StackKind kind, int pages, int istIndex = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pages, 1);
        ulong low = next + GuestMemory.PageSize; // the page at `next` stays unmapped: the guard
        ulong size = (ulong)pages * GuestMemory.PageSize;
        memory.Map(low, size, PagePermissions.Writable);
        next = low + size;
        return registry.Add(new StackInfo(name, kind, low, low + size, istIndex));
    }

    /// <summary>Maps a user stack of <paramref name="pages"/> pages ending at <paramref name="top"/>.</summary>
    public StackInfo AllocateUser(string name, ulong top, int pages)
    {
        ulong size = (ulong)pages * GuestMemory.PageSize;
        memory.Map(top - size, size, PagePermissions.Writable | PagePermissions.User);
        return registry.Add(new StackInfo(name, StackKind.User, top - size, top));
    }
}
