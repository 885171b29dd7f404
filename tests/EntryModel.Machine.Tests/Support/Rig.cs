using EntryModel.Machine.Cpu;
using EntryModel.Machine.Delivery;
using EntryModel.Machine.Execution;
using EntryModel.Machine.Memory;
using EntryModel.Machine.Tasks;
using Iced.Intel;

namespace EntryModel.Machine.Tests.Support;

/// <summary>
/// A small machine for tests: code assembled with Iced at fixed addresses, a kernel stack with a
/// guard page, an IST stack, an IRQ stack, a user stack, a per-CPU area holding the TSS, and an IDT whose every vector
/// enters a two-byte stub <c>hlt; hlt</c> at <see cref="HandlerFor"/> (so a test sees which vector
/// was delivered from the Halted stop's RIP and inspects the hardware frame on the stack).
/// </summary>
internal sealed class Rig
{
    public const ulong KernelCode = 0xffffffff81000000;
    public const ulong Handlers = 0xffffffff81100000;
    public const ulong KernelData = 0xffffffff82000000;
    public const ulong UserCode = 0x400000;
    public const ulong UserData = 0x600000;

    public Rig(bool withIdt = true)
    {
        Machine = new X86Machine();
        var alloc = new StackAllocator(Machine.Memory, Machine.Stacks);
        Allocator = alloc;
        KernelStack = alloc.AllocateKernel("task 0", StackKind.Task, 4);
        IstStack = alloc.AllocateKernel("ist1 stack", StackKind.Ist, 2, 1);
        IrqStack = alloc.AllocateKernel("irq stack", StackKind.Irq, 2);
        UserStack = alloc.AllocateUser("user stack", MachineLayout.UserStackTop, 2);
        Memory.Map(KernelData, 0x2000, PagePermissions.Writable);
        Memory.Map(UserData, 0x2000, PagePermissions.Writable | PagePermissions.User);
        Memory.Map(MachineLayout.PerCpuAddress, GuestMemory.PageSize, PagePermissions.Writable);
        Machine.Cpu.TrBase = MachineLayout.PerCpuAddress;
        Memory.WriteUInt64(MachineLayout.PerCpuAddress + PerCpuLayout.TssRsp0, KernelStack.Top);
        Memory.WriteUInt64(MachineLayout.PerCpuAddress + (ulong)PerCpuLayout.TssIst(1), IstStack.Top);
        if (withIdt)
        {
            Memory.Map(Handlers, 0x1000, PagePermissions.Executable);
            Memory.Map(MachineLayout.IdtAddress, GuestMemory.PageSize, PagePermissions.None);
            for (int v = 0; v < 256; v++)
            {
                Memory.Write(HandlerFor(v), [0xF4, 0xF4]);
                IdtWriter.WriteGate(Machine, MachineLayout.IdtAddress, v, HandlerFor(v), interruptGate: true, dpl: v is 3 or 0x80 ? 3 : 0);
            }

            Machine.Cpu.IdtBase = MachineLayout.IdtAddress;
            Machine.Cpu.IdtLimit = IdtWriter.IdtLimit;
        }

        Cpu.Gpr[(int)Gpr.Rsp] = KernelStack.Top;
    }

    public X86Machine Machine { get; }

    public StackAllocator Allocator { get; }

    public GuestMemory Memory => Machine.Memory;

    public ref CpuState Cpu => ref Machine.Cpu;

    public StackInfo KernelStack { get; }

    public StackInfo IstStack { get; }

    public StackInfo IrqStack { get; }

    public StackInfo UserStack { get; }

    public static ulong HandlerFor(int vector) => Handlers + ((ulong)vector * 16);

    /// <summary>The vector whose stub a Halted stop at <paramref name="rip"/> came from.</summary>
    public static int VectorOf(ulong rip) => (int)((rip - 1 - Handlers) / 16);

    public ulong this[Gpr r]
    {
        get => Cpu[r];
        set => Cpu[r] = value;
    }

    /// <summary>Assembles code at <paramref name="address"/>, maps its pages with <paramref name="permissions"/> (if not mapped) and writes it.</summary>
    public ulong Load(ulong address, Action<Assembler> build, PagePermissions permissions = PagePermissions.Executable)
    {
        var a = new Assembler(64);
        build(a);
        var writer = new ByteListWriter();
        a.Assemble(writer, address);
        var bytes = writer.Bytes.ToArray();
        for (ulong p = address & ~GuestMemory.PageMask; p < address + (ulong)bytes.Length; p += GuestMemory.PageSize)
        {
            if (!Memory.IsMapped(p))
            {
                Memory.Map(p, GuestMemory.PageSize, permissions);
            }
        }

        Memory.Write(address, bytes);
        return address + (ulong)bytes.Length;
    }

    /// <summary>Loads kernel code (ending in hlt), starts at it in CPL 0 and runs to the stop.</summary>
    public StopReason RunKernel(Action<Assembler> build)
    {
        Load(KernelCode, a =>
        {
            build(a);
            a.hlt();
        });
        Cpu.Rip = KernelCode;
        return Machine.Run();
    }

    /// <summary>Switches to CPL 3 at <paramref name="rip"/> on the user stack.</summary>
    public void EnterUser(ulong rip)
    {
        Cpu.Rip = rip;
        Cpu.Cs = Selectors.UserCs;
        Cpu.Ss = Selectors.UserSs;
        Cpu.Gpr[(int)Gpr.Rsp] = UserStack.Top;
        Cpu.Rflags = RFlags.Reserved1 | RFlags.IF;
    }

    public ulong Stack(int qwordIndex) => Memory.ReadUInt64(Cpu[Gpr.Rsp] + ((ulong)qwordIndex * 8));
}
