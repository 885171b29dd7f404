using EntryModel.Machine.Execution;
using EntryModel.Machine.GroundTruth;
using EntryModel.Scenarios.Catalog;
using EntryModel.Scenarios.Library;
using EntryModel.Scenarios.Reporting;
using EntryModel.Unwinding;
using EntryModel.Unwinding.Image;
using EntryModel.Scenarios.Running;

namespace EntryModel.Scenarios.Tests.Library;

/// <summary>The scheduler path executed by the machine, checked against the machine's ground truth.</summary>
public class PreemptedTaskScenarioTests
{
    private static IEnumerable<string> Strategies() => StrategyCatalog.Names;

    [TestCaseSource(nameof(Strategies))]
    public void Preempted_thread_sleeps_with_the_timer_interrupt_frame_on_its_stack(string strategy)
    {
        var result = Run(strategy);
        var symbols = result.Session.Image.Symbols;
        var sleeper = result.Tasks.Single(t => t.Task.Name == "a");
        var interrupt = sleeper.Frames.Single(f => f.Kind == TrueFrameKind.Interrupt);

        Assert.That(result.Stop.Kind, Is.EqualTo(StopKind.PowerOff), result.Stop.ToString());
        Assert.That(result.ExitCode, Is.EqualTo(0UL));
        Assert.That(sleeper.Running, Is.False);
        Assert.That(interrupt.Vector, Is.EqualTo(PreemptedTaskScenario.TimerVector));
        Assert.That(sleeper.Task.Stack.Contains(interrupt.Slot), Is.True, "the hardware frame is on the sleeping task's own stack");
        Assert.That(symbols.TryLookup(interrupt.ReturnAddress, out var interrupted, out _) ? interrupted.Name : null, Is.EqualTo("kthread_spin"));
        Assert.That(result.OutcomeAsExpected, Is.True, result.Outcome);
    }

    [TestCaseSource(nameof(Strategies))]
    public void Sleeping_thread_was_switched_out_from_preempt_schedule_irq(string strategy)
    {
        var result = Run(strategy);
        var symbols = result.Session.Image.Symbols;
        var sleeper = result.Tasks.Single(t => t.Task.Name == "a");

        // Innermost first: the switch stub's caller, then the scheduler, then the interrupt exit's call (retint_kernel, a label of error_exit).
        var callers = sleeper.Frames.Where(f => f.Kind == TrueFrameKind.Call)
            .Select(f => symbols.TryLookup(f.ReturnAddress - 1, out var s, out _) ? s.Name : "?")
            .ToList();

        Assert.That(callers.Take(3), Is.EqualTo(new[] { "__schedule", "preempt_schedule_irq", "retint_kernel" }));
        Assert.That(sleeper.SavedRsp, Is.LessThan(sleeper.Frames[0].Slot), "the saved RSP lies below every live frame");
    }

    [TestCaseSource(nameof(Strategies))]
    public void Both_sleepers_are_captured_from_their_saved_stack_pointers(string strategy)
    {
        var result = Run(strategy);

        Assert.That(result.Stacks.Select(s => s.Title), Is.EqualTo(new[] { "sleeping task a", "sleeping task c" }));
        foreach (var capture in result.Stacks)
        {
            var sleeper = result.Tasks.Single(t => capture.Title.EndsWith(" " + t.Task.Name, StringComparison.Ordinal));
            Assert.That(capture.Start.Kind, Is.EqualTo(UnwindStartKind.SleepingTask));
            Assert.That(capture.Start.Address, Is.EqualTo(sleeper.SavedRsp));
            Assert.That(capture.Start.TaskStruct, Is.EqualTo(sleeper.Task.StructAddress));
        }
    }

    [TestCaseSource(nameof(Strategies))]
    public void The_2016_printer_shows_the_scheduler_and_the_spinning_thread(string strategy)
    {
        var result = Run(strategy);
        var image = UnwindImage.For(result.Session.Image);
        var text = ScenarioReport.Print(image, result.Stacks[0], UnwinderCatalog.Create("guess", image), PrinterKind.Classic, registers: false);

        Assert.That(text, Has.Some.Contains("__schedule+"), string.Join('\n', text));
        Assert.That(text, Has.Some.Contains("kthread_spin+"), string.Join('\n', text));
    }

    [TestCaseSource(nameof(Strategies))]
    public void Only_the_task_flag_strategy_marks_the_sleeping_thread_as_preempted_from_an_interrupt(string strategy)
    {
        const ulong TaskFlags = 0x10, PreemptIrq = 0x1;
        var result = Run(strategy);
        var sleeper = result.Tasks.Single(t => t.Task.Name == "a");
        ulong flags = result.Session.Machine.Memory.ReadUInt64(sleeper.Task.StructAddress + TaskFlags);

        Assert.That((flags & PreemptIrq) != 0, Is.EqualTo(strategy == "task-flag"));
    }

    private static ScenarioResult Run(string strategy)
    {
        Assert.That(StrategyCatalog.TryGet(strategy, out var image), Is.True);
        return new PreemptedTaskScenario().Run(image);
    }
}
