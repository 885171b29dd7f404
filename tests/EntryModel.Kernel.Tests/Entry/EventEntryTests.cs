using System.Buffers.Binary;
using EntryModel.Machine.Cpu;
using EntryModel.Machine.Delivery;
using EntryModel.Machine.Execution;
using EntryModel.Machine.Memory;
using EntryModel.Machine.Tasks;
using EntryModel.Scenarios.Catalog;
using EntryModel.Scenarios.Running;

namespace EntryModel.Kernel.Tests.Entry;

/// <summary>
/// The default model's event entries behave as Linux's do off the seed's path: interrupt gates,
/// IST stacks for NMI and #DF, and paranoid entry that decides swapgs from MSR_GS_BASE. The
/// oracle is the modelled machine: what it delivers, which stack the dump comes from, and whether
/// the program still finishes.
/// </summary>
public class EventEntryTests
{
    private static IEnumerable<string> Strategies() => StrategyCatalog.Names;

    /// <summary>The syscall entry's first instruction still runs with the user GS: CS says kernel mode, only MSR_GS_BASE can tell.</summary>
    [TestCaseSource(nameof(Strategies))]
    public void An_nmi_at_the_first_instruction_of_the_syscall_entry_dumps_from_ist_2_and_the_program_finishes(string strategy)
    {
        var session = BootReader(strategy);
        Assert.That(session.RunUntil("entry_SYSCALL_64").Kind, Is.EqualTo(StopKind.Breakpoint));
        Assert.That((long)session.Machine.Cpu.GsBase, Is.Not.Negative, "the user's GS base is still loaded");

        session.Machine.InjectNmi();
        var stop = session.Run();

        Assert.That(stop.Kind, Is.EqualTo(StopKind.PowerOff), stop.ToString());
        Assert.That(stop.Code, Is.EqualTo(0UL));
        Assert.That(session.Stacks[0].Stack, Is.EqualTo(session.Kernel.IstStacks[2]));
        Assert.That(session.Stacks, Has.Count.EqualTo(2), "the NMI's dump, then the page fault's");
        var nmi = session.Stacks[0].GroundTruth.First(f => f.IsBoundary);
        Assert.That(nmi.ReturnAddress, Is.EqualTo(session.Kernel.Symbol("entry_SYSCALL_64")), "taken before the syscall entry's swapgs");
    }

    [TestCaseSource(nameof(Strategies))]
    public void An_nmi_right_after_the_swapgs_keeps_the_kernel_gs(string strategy)
    {
        var session = BootReader(strategy);
        Assert.That(session.RunUntil("entry_SYSCALL_64_after_swapgs").Kind, Is.EqualTo(StopKind.Breakpoint));
        ulong kernelGsBase = session.Machine.Cpu.GsBase;
        Assert.That((long)kernelGsBase, Is.Negative, "the kernel's per-CPU base");

        session.Machine.InjectNmi();
        var stop = session.Run();

        Assert.That(stop.Kind, Is.EqualTo(StopKind.PowerOff), stop.ToString());
        Assert.That(stop.Code, Is.EqualTo(0UL));
        Assert.That(session.Stacks[0].Stack, Is.EqualTo(session.Kernel.IstStacks[2]));
    }

    /// <summary>What the machine reads from its IDT: the gate type and IST index of each vector, as Linux 2016 set them.</summary>
    [TestCase(ExceptionVector.Nmi, 2)]
    [TestCase(ExceptionVector.DoubleFault, 1)]
    [TestCase(ExceptionVector.Breakpoint, 3)]
    [TestCase(ExceptionVector.PageFault, 0)]
    [TestCase(0xef, 0)]
    [TestCase(0xee, 0)]
    public void Every_gate_is_an_interrupt_gate_with_the_2016_ist_stack(int vector, int ist)
    {
        var session = BootReader("none");
        var gate = session.Machine.Memory.Read(session.Machine.Cpu.IdtBase + ((ulong)vector * IdtWriter.GateSize), IdtWriter.GateSize);
        ulong low = BinaryPrimitives.ReadUInt64LittleEndian(gate);

        Assert.That((low >> 40) & 0xF, Is.EqualTo(0xEUL), "type: 64-bit interrupt gate");
        Assert.That((int)((low >> 32) & 7), Is.EqualTo(ist));
    }

    /// <summary>
    /// A kernel stack overflow: delivering an interrupt onto the guard page faults, and delivering
    /// that fault faults again. The CPU raises #DF, which lands on IST 1; the handler dumps and powers off with 8.
    /// </summary>
    [TestCaseSource(nameof(Strategies))]
    public void A_kernel_stack_overflow_ends_in_the_double_fault_handler_on_ist_1_not_a_triple_fault(string strategy)
    {
        var session = BootReader(strategy);
        var task = session.Kernel.InitTask.Stack;
        session.Kernel.EnterKernel(session.Kernel.Symbol("kthread_spin"), task.Low + 16, interruptsEnabled: true);
        session.Machine.InjectInterrupt(0xef, afterInstructions: 2);

        var stop = session.Run();

        Assert.That(stop.Kind, Is.EqualTo(StopKind.PowerOff), stop.ToString());
        Assert.That(stop.Code, Is.EqualTo(8UL));
        Assert.That(session.Stacks.Single().Stack, Is.EqualTo(session.Kernel.IstStacks[1]));
        Assert.That(session.Stacks.Single().Stack.Kind, Is.EqualTo(StackKind.Ist));
    }

    /// <summary>int3 from user mode: the IST stub moves pt_regs to the task stack, so the handler runs in process context, and the program goes on.</summary>
    [TestCaseSource(nameof(Strategies))]
    public void An_int3_from_user_mode_is_handled_on_the_task_stack_and_the_program_goes_on(string strategy)
    {
        var session = BootReader(strategy);
        const ulong code = 0x500000;
        session.Machine.Memory.Map(code, 4096, PagePermissions.Executable | PagePermissions.User);

        // int3; mov $60, %eax; mov $7, %edi; syscall (exit(7))
        session.Machine.Memory.Write(code, [0xcc, 0xb8, 0x3c, 0, 0, 0, 0xbf, 7, 0, 0, 0, 0x0f, 0x05]);
        session.Kernel.EnterUser(code);

        Assert.That(session.RunUntil("do_int3").Kind, Is.EqualTo(StopKind.Breakpoint));
        Assert.That(session.Kernel.InitTask.Stack.Contains(session.Machine.Cpu.Gpr[(int)Gpr.Rsp]), Is.True, "on the task stack, not IST 3");
        Assert.That((long)session.Machine.Cpu.GsBase, Is.Negative, "kernel GS");
        var stop = session.Run();

        Assert.That(stop.Kind, Is.EqualTo(StopKind.PowerOff), stop.ToString());
        Assert.That(stop.Code, Is.EqualTo(7UL));
        Assert.That(session.Logged, Is.EqualTo(new ulong[] { 3 }));
    }

    /// <summary>int3 in the kernel stays on IST 3, entered and left the paranoid way.</summary>
    [TestCaseSource(nameof(Strategies))]
    public void An_int3_in_the_kernel_runs_its_handler_on_ist_3(string strategy)
    {
        var session = BootReader(strategy);
        const ulong code = 0xffffffff90000000;
        session.Machine.Memory.Map(code, 4096, PagePermissions.Executable);
        session.Machine.Memory.Write(code, [0xcc, 0xf4]); // int3; hlt
        session.Kernel.EnterKernel(code, session.Kernel.InitTask.Stack.Top - 64);

        Assert.That(session.RunUntil("do_int3").Kind, Is.EqualTo(StopKind.Breakpoint));
        Assert.That(session.Kernel.IstStacks[3].Contains(session.Machine.Cpu.Gpr[(int)Gpr.Rsp]), Is.True);
        var stop = session.Run();

        Assert.That(stop.Kind, Is.EqualTo(StopKind.Halted), stop.ToString());
        Assert.That(stop.Rip, Is.EqualTo(code + 2));
        Assert.That(session.Logged, Is.EqualTo(new ulong[] { 3 }));
    }

    private static ScenarioSession BootReader(string strategy)
    {
        Assert.That(StrategyCatalog.TryGet(strategy, out var image), Is.True);
        var session = ScenarioSession.Boot(image);
        session.Kernel.EnterUser(session.Kernel.Symbol("_start"));
        return session;
    }
}
