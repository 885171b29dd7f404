using EntryModel.Kernel;
using EntryModel.Machine.Cpu;
using EntryModel.Scenarios.Running;

namespace EntryModel.Scenarios.Tests.Running;

public class KernelThreadLaunchTests
{
    [Test]
    public void New_thread_stack_holds_a_switch_frame_returning_to_ret_from_fork_under_a_kernel_pt_regs()
    {
        var session = ScenarioSession.Boot(DefaultKernel.None);
        var kernel = session.Kernel;
        var memory = session.Machine.Memory;
        var task = kernel.Tasks.Adopt("t", kernel.Symbol("task_b"));

        KernelThreadLaunch.Prepare(DefaultKernel.None, memory, task, kernel.Symbol("ret_from_fork"), kernel.Symbol("kthread_poweroff"), argument: 7);

        ulong regs = task.Stack.Top - (21 * 8);
        ulong sp = kernel.Tasks.SavedRsp(task);
        Assert.That(sp, Is.EqualTo(regs - 8 - (6 * 8)));
        Assert.That(memory.ReadUInt64(regs - 8), Is.EqualTo(kernel.Symbol("ret_from_fork")));
        Assert.That(memory.ReadUInt64(regs + (5 * 8)), Is.EqualTo(kernel.Symbol("kthread_poweroff")), "pt_regs->bx: the thread function");
        Assert.That(memory.ReadUInt64(regs + (4 * 8)), Is.EqualTo(7UL), "pt_regs->bp: its argument");
        Assert.That(memory.ReadUInt64(regs + (17 * 8)), Is.EqualTo((ulong)Selectors.KernelCs));
    }
}
