using EntryModel.Machine.GroundTruth;
using EntryModel.Scenarios.Catalog;
using EntryModel.Scenarios.Library;
using EntryModel.Scenarios.Running;

namespace EntryModel.Scenarios.Tests.Library;

/// <summary>An NMI inside a timer interrupt inside read(): the machine's ground truth spans three stacks.</summary>
public class NmiInIrqScenarioTests
{
    private static IEnumerable<string> Strategies() => StrategyCatalog.Names;

    [TestCaseSource(nameof(Strategies))]
    public void The_nmi_dumps_from_its_ist_stack_and_the_program_still_exits_0(string strategy)
    {
        var result = Run(strategy);

        Assert.That(result.OutcomeAsExpected, Is.True, result.Outcome);
        Assert.That(result.Stacks.Select(s => s.Stack.Kind), Is.EqualTo(new[] { StackKind.Ist, StackKind.Task }));
    }

    [TestCaseSource(nameof(Strategies))]
    public void Ground_truth_of_the_nmi_dump_holds_the_nmi_the_timer_and_the_syscall_innermost_first(string strategy)
    {
        var result = Run(strategy);
        var events = result.Stacks[0].GroundTruth.Where(f => f.IsBoundary).ToList();
        var symbols = result.Session.Image.Symbols;
        string Function(TrueFrame f) => symbols.TryLookup(f.ReturnAddress, out var s, out _) ? s.Name : "user";

        Assert.That(events.Select(f => f.Kind), Is.EqualTo(new[] { TrueFrameKind.Interrupt, TrueFrameKind.Interrupt, TrueFrameKind.Syscall }));
        Assert.That(events.Take(2).Select(f => f.Vector), Is.EqualTo(new[] { 2, PreemptedTaskScenario.TimerVector }));
        Assert.That(events.Select(Function), Is.EqualTo(new[] { "smp_apic_timer_interrupt", "copy_page_to_iter", "main" }));
    }

    private static ScenarioResult Run(string strategy)
    {
        Assert.That(StrategyCatalog.TryGet(strategy, out var image), Is.True);
        return new NmiInIrqScenario().Run(image);
    }
}
