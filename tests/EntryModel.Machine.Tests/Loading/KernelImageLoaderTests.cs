using EntryModel.Machine.Cpu;
using EntryModel.Machine.Delivery;
using EntryModel.Machine.Execution;
using EntryModel.Machine.Loading;
using EntryModel.Machine.Memory;
using EntryModel.Machine.Tasks;
using EntryModel.Machine.Tests.Support;
using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace EntryModel.Machine.Tests.Loading;

public class KernelImageLoaderTests
{
    private const ulong Text = 0xffffffff81000000;
    private const ulong Data = 0xffffffff81200000;
    private const ulong UserText = 0x400000;

    private static byte[] Assemble(ulong address, Action<Assembler> build)
    {
        var a = new Assembler(64);
        build(a);
        var w = new ByteListWriter();
        a.Assemble(w, address);
        return [.. w.Bytes];
    }

    /// <summary>A tiny image: an int3 stub on IST 1, a syscall entry, kernel data, and user code that traps.</summary>
    private static KernelImage Image(IReadOnlyDictionary<string, long>? constants = null)
    {
        ulong bpStub = Text;
        ulong sysEntry = Text + 0x40;
        var text = new byte[0x80];
        Assemble(bpStub, a => { a.mov(rax, __qword_ptr[Data]); a.hlt(); }).CopyTo(text, 0);
        Assemble(sysEntry, a => { a.mov(ebx, 1); a.hlt(); }).CopyTo(text, 0x40);
        var data = new byte[0x1000];
        BitConverter.GetBytes(0x1234UL).CopyTo(data, 0);
        var user = Assemble(UserText, a => { a.int3(); a.syscall(); });
        var symbols = new SymbolTable(
        [
            new Symbol("bp_stub", bpStub, 0x40, SymbolKind.Entry, ".text"),
            new Symbol("entry_SYSCALL_64", sysEntry, 0x40, SymbolKind.Entry, ".text"),
            new Symbol("some_data", Data, 8, SymbolKind.Data, ".data"),
            new Symbol("cpu0_area", Data + 0x100, 0xc0, SymbolKind.Data, ".data"),
            new Symbol("task_user", Data + 0x200, 0x40, SymbolKind.Data, ".data"),
        ]);
        return new KernelImage(
            "test", "none", null, [],
            [
                new ImageChunk(".text", Text, text, SectionPermissions.Executable),
                new ImageChunk(".data", Data, data, SectionPermissions.Writable),
                new ImageChunk(".user", UserText, user, SectionPermissions.Executable | SectionPermissions.User),
            ],
            symbols, [], [],
            [new IdtGate(3, "bp_stub", bpStub, null, false, 1, true, 3)],
            "entry_SYSCALL_64",
            constants);
    }

    [Test]
    public void An_image_that_names_its_layouts_in_constants_is_loaded_by_them()
    {
        // Offsets unlike the default model's, so a loader ignoring the image would be caught.
        var constants = new Dictionary<string, long>
        {
            ["PCPU_CURRENT_TASK"] = 0xb0, ["PCPU_TOP_OF_STACK"] = 0xa8, ["PCPU_RSP_SCRATCH"] = 0xa0, ["PCPU_IRQ_STACK_PTR"] = 0x98, ["PCPU_IRQ_COUNT"] = 0x90,
            ["TASK_SP"] = 0x10, ["TASK_STACK_TOP"] = 0x18, ["TASK_SIZE"] = 0x40,
        };
        var machine = new X86Machine();
        var kernel = KernelImageLoader.Load(machine, Image(constants), KernelLoadOptions.DefaultKernel);
        ulong area = kernel.Symbol("cpu0_area");
        Assert.Multiple(() =>
        {
            Assert.That(machine.Memory.ReadUInt64(area + 0xb0), Is.EqualTo(kernel.Symbol("task_user")), "current task");
            Assert.That(machine.Memory.ReadUInt64(area + 0xa8), Is.EqualTo(kernel.InitTask.Stack.Top), "top of stack");
            Assert.That(machine.Memory.ReadUInt64(area + 0x98), Is.EqualTo(kernel.IrqStack.Top), "IRQ stack");
            Assert.That(machine.Memory.ReadUInt64(kernel.InitTask.StructAddress + 0x18), Is.EqualTo(kernel.InitTask.Stack.Top), "task stack top");
        });
    }

    [Test]
    public void Maps_chunks_with_their_permissions_and_sets_LSTAR()
    {
        var machine = new X86Machine();
        var kernel = KernelImageLoader.Load(machine, Image());
        Assert.That(machine.Memory.TryGetPermissions(Text, out var p) ? p : (PagePermissions)0xFF, Is.EqualTo(PagePermissions.Executable));
        Assert.That(machine.Memory.TryGetPermissions(Data, out p) ? p : (PagePermissions)0xFF, Is.EqualTo(PagePermissions.Writable));
        Assert.That(machine.Memory.TryGetPermissions(UserText, out p) ? p : (PagePermissions)0xFF, Is.EqualTo(PagePermissions.Executable | PagePermissions.User));
        Assert.That(machine.Memory.ReadUInt64(Data), Is.EqualTo(0x1234UL));
        Assert.That(machine.Cpu.Lstar, Is.EqualTo(kernel.Symbol("entry_SYSCALL_64")));
        Assert.That(machine.Cpu.GsBase, Is.EqualTo(MachineLayout.PerCpuAddress));
    }

    [Test]
    public void Provides_task_irq_ist_and_user_stacks_with_guard_pages()
    {
        var machine = new X86Machine();
        var kernel = KernelImageLoader.Load(machine, Image());
        Assert.That(machine.Stacks.All.Select(s => s.Kind), Is.EquivalentTo(new[] { StackKind.Task, StackKind.Irq, StackKind.Ist, StackKind.User }));
        Assert.That(kernel.IstStacks[1].IstIndex, Is.EqualTo(1));
        Assert.That(machine.Memory.ReadUInt64(MachineLayout.PerCpuAddress + 0x24), Is.EqualTo(kernel.IstStacks[1].Top));
        Assert.That(machine.Memory.ReadUInt64(MachineLayout.PerCpuAddress + 4), Is.EqualTo(kernel.InitTask.Stack.Top));
        Assert.That(kernel.PerCpuBase, Is.EqualTo(MachineLayout.PerCpuAddress));
        Assert.That(machine.Memory.ReadUInt64(MachineLayout.PerCpuAddress + (ulong)PerCpuLayout.Default.IrqStackTop), Is.EqualTo(kernel.IrqStack.Top));
        foreach (var s in machine.Stacks.All.Where(s => s.Kind != StackKind.User))
        {
            Assert.That(machine.Memory.IsMapped(s.Low - 1), Is.False, $"guard page below {s}");
            Assert.That(machine.Memory.IsMapped(s.Low) && machine.Memory.IsMapped(s.High - 1));
        }

        Assert.That(machine.Stacks.Find(kernel.IrqStack.Top - 8), Is.EqualTo(kernel.IrqStack));
        Assert.That(kernel.Tasks.Current(), Is.EqualTo(kernel.InitTask));
    }

    [Test]
    public void The_image_gates_deliver_on_the_named_IST_and_syscall_reaches_the_entry()
    {
        var machine = new X86Machine();
        var kernel = KernelImageLoader.Load(machine, Image());
        kernel.EnterUser(UserText);

        var stop = machine.Run();

        Assert.That(stop.Kind, Is.EqualTo(StopKind.Halted));
        Assert.That(machine.Cpu[Gpr.Rax], Is.EqualTo(0x1234UL));
        Assert.That(machine.Cpu[Gpr.Rsp], Is.EqualTo(kernel.IstStacks[1].Top - 40));
        Assert.That(machine.Memory.ReadUInt64(machine.Cpu[Gpr.Rsp] + 8), Is.EqualTo((ulong)Selectors.UserCs));

        kernel.EnterUser(UserText + 1);
        stop = machine.Run();
        Assert.That(stop.Kind, Is.EqualTo(StopKind.Halted));
        Assert.That(machine.Cpu[Gpr.Rbx], Is.EqualTo(1UL));
        Assert.That(machine.Cpu[Gpr.Rcx], Is.EqualTo(UserText + 3));
    }

    [Test]
    public void An_image_that_holds_its_per_CPU_area_and_first_task_gets_them_filled_in()
    {
        var machine = new X86Machine();
        var kernel = KernelImageLoader.Load(machine, Image(), KernelLoadOptions.DefaultKernel);
        ulong area = kernel.Symbol("cpu0_area");
        var layout = PerCpuLayout.Default;
        Assert.That(kernel.PerCpuBase, Is.EqualTo(area));
        Assert.That(machine.Cpu.TrBase, Is.EqualTo(area));
        Assert.That(machine.Cpu.GsBase, Is.EqualTo(area));
        Assert.That(machine.Memory.ReadUInt64(area + PerCpuLayout.TssRsp0), Is.EqualTo(kernel.InitTask.Stack.Top));
        Assert.That(machine.Memory.ReadUInt64(area + (ulong)PerCpuLayout.TssIst(1)), Is.EqualTo(kernel.IstStacks[1].Top));
        Assert.That(machine.Memory.ReadUInt64(area + (ulong)layout.CurrentTask), Is.EqualTo(kernel.Symbol("task_user")));
        Assert.That(machine.Memory.ReadUInt64(area + (ulong)layout.TopOfStack), Is.EqualTo(kernel.InitTask.Stack.Top));
        Assert.That(machine.Memory.ReadUInt64(area + (ulong)layout.IrqStackTop), Is.EqualTo(kernel.IrqStack.Top));
        Assert.That(kernel.InitTask.StructAddress, Is.EqualTo(kernel.Symbol("task_user")));
        Assert.That(machine.Memory.ReadUInt64(kernel.InitTask.StructAddress + (ulong)TaskStructLayout.Default.StackTop), Is.EqualTo(kernel.InitTask.Stack.Top));
        Assert.That(machine.Memory.IsMapped(MachineLayout.PerCpuAddress), Is.False, "no machine per-CPU page when the image has one");

        kernel.EnterUser(UserText);
        Assert.That(machine.Run().Kind, Is.EqualTo(StopKind.Halted), "int3 delivered through the image's TSS IST1");
        Assert.That(machine.Cpu[Gpr.Rsp], Is.EqualTo(kernel.IstStacks[1].Top - 40));
    }

    [Test]
    public void Gate_descriptor_encoding_matches_the_SDM_layout()
    {
        var gate = IdtWriter.EncodeGate(0xffffffff81887030, interruptGate: true, dpl: 3, ist: 2);
        Assert.That(gate, Is.EqualTo(new byte[]
        {
            0x30, 0x70, 0x10, 0x00, 0x02, 0xEE, 0x88, 0x81,
            0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00,
        }));
    }

    [Test]
    public void Symbol_breakpoints_use_the_loaded_symbols()
    {
        var machine = new X86Machine();
        var kernel = KernelImageLoader.Load(machine, Image());
        kernel.EnterUser(UserText + 1);
        var stop = machine.RunUntil("entry_SYSCALL_64");
        Assert.That((stop.Kind, stop.Rip), Is.EqualTo((StopKind.Breakpoint, kernel.Symbol("entry_SYSCALL_64"))));
    }
}
