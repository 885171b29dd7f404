using EntryModel.Machine.Execution;
using EntryModel.Machine.Loading;

namespace EntryModel.Machine.Tests.Loading;

/// <summary>
/// get_stack_info as the machine answers it: a task's walk may use that task's stack and the CPU's
/// IRQ and IST stacks, never another task's or a user stack; stacks link along what entry code and
/// the CPU leave at their tops.
/// </summary>
public class StackInfoProviderTests
{
    [Test]
    public void A_tasks_provider_holds_its_own_stack_and_the_cpu_stacks_only()
    {
        var machine = new X86Machine();
        var kernel = KernelImageLoader.Load(machine, Kernel.DefaultKernel.Images[0], KernelLoadOptions.DefaultKernel);
        var other = kernel.Tasks.Adopt("other", kernel.Symbol("task_a"));
        var provider = machine.Stacks.For(kernel.InitTask.Stack);

        Assert.That(provider.TryGet(kernel.InitTask.Stack.High - 8, out var own) ? own : null, Is.EqualTo(kernel.InitTask.Stack));
        Assert.That(provider.TryGet(kernel.IrqStack.Low, out var irq) ? irq : null, Is.EqualTo(kernel.IrqStack));
        Assert.That(provider.TryGet(kernel.IstStacks.Values.First().High - 1, out var ist) ? ist.Kind : StackKind.Unknown, Is.EqualTo(StackKind.Ist));
        Assert.That(provider.TryGet(other.Stack.High - 8, out _), Is.False, "another task's stack");
        Assert.That(provider.TryGet(kernel.UserStack!.High - 8, out _), Is.False, "a user stack");
        Assert.That(provider.TryGet(kernel.InitTask.Stack.High, out _), Is.False, "the first byte above a stack");
        Assert.That(machine.Stacks.For(kernel.InitTask.Stack), Is.SameAs(provider), "cached per task");
    }

    [Test]
    public void Irq_stack_links_through_its_top_word_and_ist_stacks_through_the_hardware_frame()
    {
        var machine = new X86Machine();
        var kernel = KernelImageLoader.Load(machine, Kernel.DefaultKernel.Images[0], KernelLoadOptions.DefaultKernel);
        var ist = kernel.IstStacks.Values.First();
        machine.Memory.WriteUInt64(kernel.IrqStack.High - 8, 0x1111);
        machine.Memory.WriteUInt64(ist.High - 16, 0x2222);

        Assert.That(kernel.IrqStack.TryGetNextSp(machine.Memory, out ulong fromIrq) ? fromIrq : 0, Is.EqualTo(0x1111UL));
        Assert.That(ist.TryGetNextSp(machine.Memory, out ulong fromIst) ? fromIst : 0, Is.EqualTo(0x2222UL));
        Assert.That(kernel.InitTask.Stack.TryGetNextSp(machine.Memory, out _), Is.False, "a task stack links nowhere");
    }

    [TestCase(0x1000UL, 8UL, true)]
    [TestCase(0x1ff8UL, 8UL, true)]
    [TestCase(0x1ffcUL, 8UL, false)]
    [TestCase(0x0ff8UL, 8UL, false)]
    [TestCase(0x2000UL, 0UL, true)]
    [TestCase(0x1008UL, ulong.MaxValue, false)]
    public void Stack_access_ok_takes_the_whole_range_without_wrapping(ulong address, ulong length, bool ok)
    {
        var stack = new StackInfo("s", StackKind.Task, 0x1000, 0x2000);

        Assert.That(stack.Contains(address, length), Is.EqualTo(ok));
    }
}
