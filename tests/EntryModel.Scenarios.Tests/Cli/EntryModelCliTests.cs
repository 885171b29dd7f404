using EntryModel.Scenarios.Catalog;
using EntryModel.Scenarios.Seed;

namespace EntryModel.Scenarios.Tests.Cli;

/// <summary>The command line, run in-process: default run, run, list, disasm, help and unknown names.</summary>
public class EntryModelCliTests
{
    [Test]
    public void Default_run_prints_all_26_seed_lines_each_marked_as_matching()
    {
        var (code, output, _) = CliHarness.Run();
        var lines = output.Split('\n');

        Assert.That(code, Is.EqualTo(0), output);
        foreach (string seedLine in SeedTraces.Before.Concat(SeedTraces.After))
        {
            Assert.That(lines.Any(l => l.StartsWith($"  = {seedLine} ", StringComparison.Ordinal) && l.TrimEnd().EndsWith(seedLine, StringComparison.Ordinal)), Is.True, $"'{seedLine}' beside itself, marked '='");
        }

        Assert.That(lines.Count(l => l.StartsWith("  = [<", StringComparison.Ordinal)), Is.EqualTo(26));
        Assert.That(lines.Count(l => l.StartsWith("  ! ", StringComparison.Ordinal)), Is.Zero);
    }

    [Test]
    public void Run_prints_the_outcome_and_the_trace_of_a_scenario()
    {
        var (code, output, _) = CliHarness.Run("run", "read-page-fault", "--strategy", "pt-regs-frame");

        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain("exited with 0"));
        Assert.That(output, Does.Contain("    " + SeedTraces.After[5]));
    }

    [TestCase("run", "no-such-scenario")]
    [TestCase("run", "read-page-fault", "--strategy", "no-such-strategy")]
    [TestCase("list", "symbols", "-s", "no-such-strategy")]
    [TestCase("disasm", "dump_stack", "--strategy", "no-such-strategy")]
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
        Assert.That(output, Does.Contain("push   $pt_regs+1"));
        Assert.That(output, Does.Contain("call   do_async_page_fault"));
        Assert.That(output, Does.Contain("jmp    error_exit"));
    }

    [TestCase("scenarios", "read-page-fault")]
    [TestCase("strategies", "pt-regs-frame")]
    [TestCase("symbols", "ffffffff8143c1be     c2 Function")]
    [TestCase("constants", "RIP                          0x80 (128)")]
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
    public void Every_command_has_help(params string[] command)
    {
        var (code, output, _) = CliHarness.Run([.. command, "--help"]);

        Assert.That(code, Is.EqualTo(0));
        Assert.That(output, Does.Contain("Usage:").And.Contain("--help"));
    }
}
