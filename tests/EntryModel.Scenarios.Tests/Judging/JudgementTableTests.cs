using EntryModel.Scenarios.Judging;
using EntryModel.Scenarios.Reporting;

namespace EntryModel.Scenarios.Tests.Judging;

/// <summary>
/// Every scenario of the default model under every strategy, each supported unwinder against the
/// machine's ground truth (the oracle): what issue 12's table must show.
/// </summary>
public class JudgementTableTests
{
    private static readonly Lazy<IReadOnlyList<JudgementRow>> Table = new(() => JudgementTable.Build());

    private static JudgementRow Row(string scenario, string strategy, string unwinder, string stack = "") =>
        Table.Value.Single(r => r.Scenario == scenario && r.Strategy == strategy && r.Unwinder == unwinder && r.Stack.Contains(stack, StringComparison.Ordinal));

    [Test]
    public void Under_none_the_frame_walk_skips_the_function_that_faulted()
    {
        var row = Row("read-page-fault", "none", "frame");

        Assert.That(row.Judgement.Verdict, Is.EqualTo(TraceVerdict.Wrong));
        Assert.That(row.Judgement.Rows.Select(r => r.Truth), Has.Member("kernel mode, RIP=copy_page_to_iter+0x70/0x440"));
        Assert.That(row.Judgement.Rows.Select(r => r.Unwound ?? string.Empty), Has.None.Contains("copy_page_to_iter"));
        Assert.That(row.Judgement.Rows.Select(r => r.Unwound), Does.Contain("generic_file_read_iter+0x26b/0x770"), "it goes on past the gap");
    }

    [Test]
    public void Under_none_the_frame_walk_from_the_nmi_skips_both_interrupted_functions_across_three_stacks()
    {
        var row = Row("nmi-in-irq", "none", "frame", "ist2 stack");
        var unwound = row.Judgement.Rows.Select(r => r.Unwound ?? string.Empty).ToList();

        Assert.That(row.Judgement.Verdict, Is.EqualTo(TraceVerdict.Wrong));
        Assert.That(unwound, Has.Member("apic_timer_interrupt+0x2f/0x3e"), "it reached the IRQ stack");
        Assert.That(unwound, Has.Member("user mode, RIP=0x400057"), "and the task stack's end");
        Assert.That(unwound, Has.None.Contains("smp_apic_timer_interrupt").And.None.Contains("copy_page_to_iter"));
    }

    [TestCase("pt-regs-frame", "frame-ptregs")]
    [TestCase("encoded-rbp", "frame-encoded")]
    [TestCase("section", "section")]
    public void The_strategys_own_unwinder_gives_the_ideal_trace_of_every_captured_stack(string strategy, string unwinder)
    {
        var rows = Table.Value.Where(r => r.Strategy == strategy && r.Unwinder == unwinder).ToList();

        Assert.That(rows, Has.Count.EqualTo(5), "the fault's dump, the two sleepers, the NMI's and the second fault's dump");
        Assert.That(rows.Select(r => r.Judgement.Verdict), Has.All.EqualTo(TraceVerdict.Exact));
        Assert.That(rows.Select(r => r.Own), Has.All.True);
    }

    [Test]
    public void Reliable_mode_refuses_the_preempted_sleepers_in_kernel_pt_regs_with_every_unwinder()
    {
        var rows = Table.Value.Where(r => r.Stack == "sleeping task a").ToList();

        Assert.That(rows.Select(r => r.Judgement.ReliableVerdict), Has.All.EqualTo(ReliableVerdict.Refused));
        foreach (var (strategy, unwinder) in new[] { ("pt-regs-frame", "frame-ptregs"), ("encoded-rbp", "frame-encoded"), ("section", "section") })
        {
            Assert.That(Row("preempted-task", strategy, unwinder, "task a").Judgement.Reliable.Refusal, Is.EqualTo(Unwinding.Reliable.ReliableRefusal.InKernelRegs), unwinder);
        }

        Assert.That(Row("preempted-task", "task-flag", "task-flag", "task a").Judgement.Reliable.Reason, Does.Contain(nameof(UnwindCaveat.PreemptedFromInterrupt)));
    }

    [TestCase("pt-regs-frame", "frame-ptregs")]
    [TestCase("encoded-rbp", "frame-encoded")]
    [TestCase("section", "section")]
    [TestCase("task-flag", "task-flag")]
    public void Reliable_mode_vouches_for_the_voluntary_sleeper(string strategy, string unwinder)
    {
        var row = Row("preempted-task", strategy, unwinder, "task c");

        Assert.That(row.Judgement.ReliableVerdict, Is.EqualTo(ReliableVerdict.Vouched), row.Judgement.Reliable.Reason);
    }

    [Test]
    public void Unwinders_that_cannot_see_pt_regs_never_vouch()
    {
        var rows = Table.Value.Where(r => r.Unwinder is "guess" or "frame").ToList();

        Assert.That(rows, Is.Not.Empty);
        Assert.That(rows.Select(r => r.Judgement.Reliable.Refusal), Has.All.EqualTo(Unwinding.Reliable.ReliableRefusal.UnwinderCannotVouch));
    }

    [Test]
    public void No_unwinder_vouches_for_a_wrong_trace_anywhere_in_the_table()
    {
        // Per captured stack: 5 strategies x 2-3 unwinders + orc's scan and orc = 16 rows; read-page-fault 1 stack, preempted-task 2, nmi-in-irq 2.
        Assert.That(Table.Value, Has.Count.EqualTo(5 * 16));
        Assert.That(Table.Value.Where(r => r.Judgement.ReliableVerdict == ReliableVerdict.WrongWhileReliable).Select(r => $"{r.Scenario}/{r.Strategy}/{r.Unwinder}/{r.Stack}"), Is.Empty);
    }

    [Test]
    public void The_orc_strategy_s_own_unwinder_reads_the_generated_tables_and_is_exact_on_every_stack()
    {
        var own = Table.Value.Where(r => r.Strategy == "orc" && r.Own).ToList();
        Assert.That(own.Select(r => r.Unwinder).Distinct(), Is.EqualTo(new[] { "orc" }));
        Assert.That(own, Has.Count.EqualTo(5));
        Assert.That(own.Select(r => r.Judgement.Verdict), Has.All.EqualTo(TraceVerdict.Exact));
    }
}
