using EntryModel.Machine.Delivery;
using EntryModel.Machine.Execution;
using EntryModel.Machine.Memory;
using EntryModel.Machine.Tasks;

namespace EntryModel.Machine.Loading;

/// <summary>
/// Loads a <see cref="KernelImage"/>: maps each chunk's pages with its section permissions (a page
/// shared by chunks gets the union), writes the IDT from the image's gates, points TR and GS at the
/// per-CPU area (the image's, or one it maps), allocates the init task's stack, an IRQ stack, the IST
/// stacks the gates name and a user stack, writes their tops into the TSS and per-CPU variables,
/// and points LSTAR at the image's syscall entry.
/// </summary>
public static class KernelImageLoader
{
    public static LoadedKernel Load(X86Machine machine, KernelImage image, KernelLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(machine);
        ArgumentNullException.ThrowIfNull(image);
        options ??= new KernelLoadOptions();
        var memory = machine.Memory;

        MapChunks(memory, image.Chunks);
        machine.Symbols = image.Symbols;

        memory.Map(MachineLayout.IdtAddress, GuestMemory.PageSize, PagePermissions.Writable);
        IdtWriter.Install(machine, MachineLayout.IdtAddress, image.Idt, image.Symbols);
        memory.Protect(MachineLayout.IdtAddress, GuestMemory.PageSize, PagePermissions.None);

        // Layouts the options name win; then the image's own constants; then the default model's.
        var perCpuLayout = options.PerCpu ?? PerCpuLayout.FromConstants(image.Constants) ?? PerCpuLayout.Default;
        var taskLayout = options.TaskStruct ?? TaskStructLayout.FromConstants(image.Constants) ?? TaskStructLayout.Default;
        ulong perCpu = MachineLayout.PerCpuAddress;
        if (options.PerCpuAreaSymbol != null)
        {
            perCpu = image.Symbols[options.PerCpuAreaSymbol].Address;
        }
        else
        {
            memory.Map(perCpu, GuestMemory.PageSize, PagePermissions.Writable);
            memory.WriteUInt64(perCpu + (ulong)perCpuLayout.IrqCount, ulong.MaxValue);
        }

        machine.Cpu.TrBase = perCpu;

        var stacks = new StackAllocator(memory, machine.Stacks);
        var tasks = new TaskTable(memory, stacks, perCpu, perCpuLayout, taskLayout);
        var init = options.InitTaskSymbol != null
            ? tasks.Adopt(options.InitTaskName, image.Symbols[options.InitTaskSymbol].Address, options.TaskStackPages)
            : tasks.Create(options.InitTaskName, options.TaskStackPages);
        tasks.MakeCurrent(init);

        var irq = stacks.AllocateKernel("irq stack", StackKind.Irq, options.IrqStackPages);
        memory.WriteUInt64(perCpu + (ulong)perCpuLayout.IrqStackTop, irq.Top);

        var ist = new Dictionary<int, StackInfo>();
        foreach (int index in image.Idt.Where(g => g.Ist != 0).Select(g => g.Ist).Distinct().Order())
        {
            var s = stacks.AllocateKernel($"ist{index} stack", StackKind.Ist, options.IstStackPages, index);
            memory.WriteUInt64(perCpu + (ulong)PerCpuLayout.TssIst(index), s.Top);
            ist[index] = s;
        }

        StackInfo? user = options.UserStackPages > 0 ? stacks.AllocateUser("user stack", MachineLayout.UserStackTop, options.UserStackPages) : null;

        if (image.SyscallEntry != null)
        {
            machine.Cpu.Lstar = image.Symbols[image.SyscallEntry].Address;
        }

        var kernel = new LoadedKernel(machine, image, perCpu, stacks, tasks, init, irq, ist, user);
        kernel.EnterKernel(0);
        return kernel;
    }

    /// <summary>Maps the pages under the chunks (union of permissions per page) and copies their bytes.</summary>
    public static void MapChunks(GuestMemory memory, IEnumerable<ImageChunk> chunks)
    {
        ArgumentNullException.ThrowIfNull(memory);
        ArgumentNullException.ThrowIfNull(chunks);
        var pages = new SortedDictionary<ulong, PagePermissions>();
        var list = chunks.ToList();
        foreach (var c in list)
        {
            for (ulong p = c.Address & ~GuestMemory.PageMask; p < c.End; p += GuestMemory.PageSize)
            {
                pages[p] = (pages.TryGetValue(p, out var old) ? old : PagePermissions.None) | ToPagePermissions(c.Flags);
            }
        }

        foreach (var (page, perms) in pages)
        {
            if (memory.TryGetPermissions(page, out var existing))
            {
                memory.Protect(page, GuestMemory.PageSize, existing | perms);
            }
            else
            {
                memory.Map(page, GuestMemory.PageSize, perms);
            }
        }

        foreach (var c in list)
        {
            memory.Write(c.Address, c.Bytes);
        }
    }

    public static PagePermissions ToPagePermissions(SectionPermissions flags) =>
        ((flags & SectionPermissions.Writable) != 0 ? PagePermissions.Writable : 0)
        | ((flags & SectionPermissions.Executable) != 0 ? PagePermissions.Executable : 0)
        | ((flags & SectionPermissions.User) != 0 ? PagePermissions.User : 0);
}
