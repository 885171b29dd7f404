using EntryModel.Scenarios.Catalog;
using EntryModel.Scenarios.Seed;

namespace EntryModel.Scenarios.Tests.Cli;

/// <summary>The command line, run in-process: default run, run, judge, list, disasm, dump-orc, help, usage errors and unknown names.</summary>
public class EntryModelCliTests
{
    [Test]
    public void Default_run_prints_all_26_seed_lines_each_marked_as_matching_and_the_ideal_trace_beside_ground_truth()
    {
        var (code, output, _) = CliHarness.Run();
        var lines = output.Split('\n');

        Assert.That(code, Is.EqualTo(0), output);
        foreach (string seedLine in SeedTraces.Before.Concat(SeedTraces.After))
        {
            Assert.That(lines.Any(l => l.StartsWith($"  = {seedLine} ", StringComparison.Ordinal) && l.TrimEnd().EndsWith(seedLine, StringComparison.Ordinal)), Is.True, $"'{seedLine}' beside itself, marked '='");
        }

        // The third trace: 11 return addresses and interrupted RIPs, and 2 event boundaries, each equal to ground truth.
        Assert.That(lines.Count(l => l.StartsWith("  = [<", StringComparison.Ordinal)), Is.EqualTo(26 + 11));
        Assert.That(lines, Has.Some.StartsWith("  = page fault, RIP=copy_page_to_iter+0x70/0x440 "));
        Assert.That(lines, Has.Some.StartsWith("  = [<ffffffff81451560>] copy_page_to_iter+0x70/0x440 "));
        Assert.That(lines, Has.Some.StartsWith("  = system call from user mode, RIP=0x"));
        Assert.That(lines.Count(l => l.StartsWith("  ! ", StringComparison.Ordinal)), Is.Zero);
    }

    [Test]
    public void Run_unwinds_with_the_strategys_own_unwinder_beside_ground_truth()
    {
        var (code, output, _) = CliHarness.Run("run", "read-page-fault", "--strategy", "pt-regs-frame");

        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain("exited with 0"));
        Assert.That(output, Does.Contain("unwinder: frame-ptregs (the strategy's own); printer: smart"));
        Assert.That(output, Does.Contain("    page fault, RIP=copy_page_to_iter+0x70/0x440"));
        Assert.That(output, Does.Contain("beside ground truth: exact (12 of 12 frames)"));
        Assert.That(output, Does.Contain("reliable mode: refused: in-kernel pt_regs"));
    }

    [Test]
    public void Run_with_the_frame_unwinder_and_the_classic_printer_prints_the_seed_after_trace_and_judges_it_wrong()
    {
        var (code, output, _) = CliHarness.Run("run", "read-page-fault", "-s", "pt-regs-frame", "--unwinder", "frame", "--printer", "classic");

        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain("    " + SeedTraces.After[5]));
        Assert.That(output, Does.Contain("beside ground truth: wrong"));
        Assert.That(output, Does.Contain("reliable mode: refused: the frame unwinder cannot see pt_regs"));
    }

    [Test]
    public void Run_with_regs_prints_the_registers_saved_at_each_boundary()
    {
        var (code, output, _) = CliHarness.Run("run", "read-page-fault", "-s", "encoded-rbp", "--regs");

        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain(" RIP: 0010:copy_page_to_iter+0x70/0x440"));
        Assert.That(output, Does.Contain(" RIP: 0033:main+"), "the user RIP saved by the syscall entry");
        Assert.That(output, Does.Contain(" ORIG_RAX: "));
    }

    [Test]
    public void Run_in_reliable_mode_vouches_for_the_voluntary_sleeper_and_refuses_the_preempted_one()
    {
        var (code, output, _) = CliHarness.Run("run", "preempted-task", "-s", "encoded-rbp", "--reliable");
        var sections = output.Split("sleeping task ");

        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(sections.Single(s => s.StartsWith("a:", StringComparison.Ordinal)), Does.Contain("reliable: refused: in-kernel pt_regs"));
        Assert.That(sections.Single(s => s.StartsWith("c:", StringComparison.Ordinal)), Does.Contain("reliable: vouched, and the trace is exact").And.Contain("kthread_yield+"));
    }

    [Test]
    public void Run_under_orc_walks_the_seed_event_with_the_generated_orc_tables_exactly()
    {
        var (code, output, _) = CliHarness.Run("run", "read-page-fault", "--strategy", "orc");

        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain("unwinder: orc (the strategy's own)"));
        Assert.That(output, Does.Contain("page fault, RIP=copy_page_to_iter+0x6c/0x440"));
        Assert.That(output, Does.Contain("beside ground truth: exact (12 of 12 frames)"));
    }

    [Test]
    public void Judge_prints_every_strategy_and_unwinder_against_ground_truth()
    {
        var (code, output, _) = CliHarness.Run("judge", "--scenario", "read-page-fault");

        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain("| read-page-fault | none | DUMP_STACK from show_stack+0xc/0xe on task 0 (user) | frame (own) | wrong |"));
        Assert.That(output, Does.Contain("| read-page-fault | pt-regs-frame | DUMP_STACK from show_stack+0xc/0xe on task 0 (user) | frame-ptregs (own) | exact |"));
        Assert.That(output, Does.Not.Contain("WRONG while reliable"));
    }

    [TestCase("run", "read-page-fault", "--bogus")]
    [TestCase("run")]
    [TestCase("list")]
    [TestCase("run", "read-page-fault", "--unwinder", "no-such-unwinder")]
    [TestCase("run", "read-page-fault", "--printer", "fancy")]
    [TestCase("dump-orc", "--bogus")]
    public void Usage_errors_exit_2(params string[] args)
    {
        var (code, _, error) = CliHarness.Run(args);

        Assert.That(code, Is.EqualTo(2), error);
        Assert.That(error, Is.Not.Empty);
    }

    [TestCase("run", "no-such-scenario")]
    [TestCase("run", "read-page-fault", "--strategy", "no-such-strategy")]
    [TestCase("list", "symbols", "-s", "no-such-strategy")]
    [TestCase("disasm", "dump_stack", "--strategy", "no-such-strategy")]
    [TestCase("dump-orc", "--strategy", "no-such-strategy")]
    public void Unknown_scenario_or_strategy_exits_2_listing_the_valid_names(params string[] args)
    {
        var (code, _, error) = CliHarness.Run(args);
        var valid = args[1] == "no-such-scenario" ? ScenarioCatalog.Names : StrategyCatalog.Names;

        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain("no-such-"));
        Assert.That(valid, Has.All.Matches<string>(name => error.Contains(name, StringComparison.Ordinal)), error);
    }

    [Test]
    public void Unknown_symbol_exits_2_listing_the_image_symbols()
    {
        var (code, _, error) = CliHarness.Run("disasm", "no_such_symbol");

        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain("unknown symbol 'no_such_symbol'").And.Contain("copy_page_to_iter").And.Contain("entry_SYSCALL_64_fastpath"));
    }

    [Test]
    public void Unknown_list_kind_exits_2_listing_the_kinds()
    {
        var (code, _, error) = CliHarness.Run("list", "widgets");

        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain("scenarios").And.Contain("strategies").And.Contain("symbols"));
    }

    [Test]
    public void Disasm_prints_att_syntax_with_symbolized_targets()
    {
        var (code, output, _) = CliHarness.Run("disasm", "async_page_fault", "--strategy", "pt-regs-frame");

        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain("ffffffff818873f0 <async_page_fault>"));
        Assert.That(output, Does.Contain("sub    $0x78,%rsp"));
        Assert.That(output, Does.Contain("push   $pt_regs+0x1"));
        Assert.That(output, Does.Contain("call   do_async_page_fault"));
        Assert.That(output, Does.Contain("jmp    error_exit"));
    }

    [Test]
    public void Dump_orc_on_an_image_without_orc_tables_says_so_and_exits_1()
    {
        var (code, output, error) = CliHarness.Run("dump-orc", "--strategy", "none");

        Assert.That(code, Is.EqualTo(1));
        Assert.That(error, Does.Contain("the image of strategy none has no ORC tables"));
        Assert.That(output, Is.Empty, "nothing stands in for the rows");
    }

    [TestCase("scenarios", "read-page-fault")]
    [TestCase("strategies", "pt-regs-frame")]
    [TestCase("symbols", "ffffffff8143c1be     c2 Function")]
    [TestCase("constants", "RIP                          0x80 (128)")]
    [TestCase("unwinders", "frame-encoded  vouches on encoded-rbp")]
    [TestCase("strategies", "unwinders: guess, frame, frame-ptregs*")]
    public void List_prints_the_catalog(string what, string expected)
    {
        var (code, output, _) = CliHarness.Run("list", what);

        Assert.That(code, Is.EqualTo(0));
        Assert.That(output, Does.Contain(expected));
    }

    [TestCase]
    [TestCase("run")]
    [TestCase("list")]
    [TestCase("disasm")]
    [TestCase("judge")]
    [TestCase("dump-orc")]
    public void Every_command_has_help(params string[] command)
    {
        var (code, output, _) = CliHarness.Run([.. command, "--help"]);

        Assert.That(code, Is.EqualTo(0));
        Assert.That(output, Does.Contain("Usage:").And.Contain("--help"));
    }
}
