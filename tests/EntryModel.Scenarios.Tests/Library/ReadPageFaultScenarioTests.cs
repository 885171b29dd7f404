using System.Text;
using EntryModel.Machine.Execution;
using EntryModel.Scenarios.Catalog;
using EntryModel.Scenarios.Library;
using EntryModel.Scenarios.Running;
using EntryModel.Scenarios.Judging;
using EntryModel.Scenarios.Reporting;
using EntryModel.Scenarios.Seed;
using EntryModel.Unwinding;
using EntryModel.Unwinding.Image;

namespace EntryModel.Scenarios.Tests.Library;

/// <summary>The seed's event executed by the machine: the traces of the seed thread come out of the run itself.</summary>
public class ReadPageFaultScenarioTests
{
    private static readonly Dictionary<string, ScenarioResult> Results = [];

    private static IEnumerable<string> Strategies() => StrategyCatalog.Names;

    [Test]
    public void Before_trace_under_none_with_the_2016_printer_over_the_frame_unwinder_equals_the_seed()
    {
        var result = RunUnder(SeedTraces.BeforeStrategy);
        var text = Print(result, "frame", PrinterKind.Classic);

        Assert.That(result.Stacks, Has.Count.EqualTo(1), result.Outcome);
        Assert.That(text, Is.EqualTo(SeedTraces.Before), string.Join('\n', text));
    }

    [Test]
    public void After_trace_under_pt_regs_frame_with_the_2016_printer_over_the_frame_unwinder_equals_the_seed()
    {
        var result = RunUnder(SeedTraces.AfterStrategy);
        var text = Print(result, "frame", PrinterKind.Classic);

        Assert.That(result.Stacks, Has.Count.EqualTo(1), result.Outcome);
        Assert.That(text, Is.EqualTo(SeedTraces.After), string.Join('\n', text));
    }

    [TestCase("pt-regs-frame", "frame-ptregs")]
    [TestCase("encoded-rbp", "frame-encoded")]
    [TestCase("section", "section")]
    public void Smart_printer_over_the_strategys_own_unwinder_prints_ground_truth_line_for_line(string strategy, string unwinder)
    {
        var result = RunUnder(strategy);
        var text = Print(result, unwinder, PrinterKind.Smart);
        var truth = TruthPrinter.Print(result.Session.Image, result.Stacks[0].GroundTruth);

        Assert.That(text, Is.EqualTo(truth), string.Join('\n', text));
        Assert.That(text, Has.Member("page fault, RIP=copy_page_to_iter+0x70/0x440"));
        Assert.That(text, Has.Member("[<ffffffff81451560>] copy_page_to_iter+0x70/0x440"), "the faulting function without '?'");
        Assert.That(text, Has.None.Contains("pagecache_get_page"), "the stale return address is on no frame");
    }

    [TestCaseSource(nameof(Strategies))]
    public void User_program_reads_the_file_bytes_and_exits_0(string strategy)
    {
        var result = RunUnder(strategy);
        byte[] buffer = result.Session.Machine.Memory.Read(ReadPageFaultScenario.UserBufferAddress, 16);

        Assert.That(result.Stop.Kind, Is.EqualTo(StopKind.PowerOff), result.Stop.ToString());
        Assert.That(result.ExitCode, Is.EqualTo(0UL), result.Outcome);
        Assert.That(Encoding.ASCII.GetString(buffer), Is.EqualTo("EntryModel read!"));
        Assert.That(result.OutcomeAsExpected, Is.True, result.Outcome);
    }

    [TestCaseSource(nameof(Strategies))]
    public void Dump_is_taken_inside_show_stack_on_the_user_task_stack(string strategy)
    {
        var result = RunUnder(strategy);
        var capture = result.Stacks.Single();
        var symbols = result.Session.Image.Symbols;

        Assert.That(capture.Start.Kind, Is.EqualTo(UnwindStartKind.Registers));
        Assert.That(symbols.TryLookup(capture.Start.Ip - 1, out var at, out _) ? at.Name : null, Is.EqualTo("show_stack"));
        Assert.That(capture.Stack, Is.EqualTo(result.Session.Kernel.InitTask.Stack));
        if (result.Session.Image.Defines.Contains("CONFIG_FRAME_POINTER"))
        {
            Assert.That(capture.Start.Sp, Is.EqualTo(capture.Start.Bp), "with frame pointers show_stack asks for the dump with rsp == rbp");
        }
    }

    [Test]
    public void Ground_truth_at_the_dump_holds_the_page_fault_and_the_read_path()
    {
        var result = RunUnder(SeedTraces.BeforeStrategy);
        var symbols = result.Session.Image.Symbols;
        var frames = result.Stacks[0].GroundTruth;
        var fault = frames.Single(f => f.Kind == EntryModel.Machine.GroundTruth.TrueFrameKind.Exception);

        Assert.That(fault.Vector, Is.EqualTo(14));
        Assert.That(fault.ReturnAddress, Is.EqualTo(symbols["copy_page_to_iter"].Address + 0x70));
    }

    internal static IReadOnlyList<string> Print(ScenarioResult result, string unwinder, PrinterKind printer)
    {
        var image = UnwindImage.For(result.Session.Image);
        return ScenarioReport.Print(image, result.Stacks[0], UnwinderCatalog.Create(unwinder, image), printer, registers: false);
    }

    internal static ScenarioResult RunUnder(string strategy)
    {
        lock (Results)
        {
            if (!Results.TryGetValue(strategy, out var result))
            {
                Assert.That(StrategyCatalog.TryGet(strategy, out var image), Is.True);
                result = new ReadPageFaultScenario().Run(image);
                Results[strategy] = result;
            }

            return result;
        }
    }
}
