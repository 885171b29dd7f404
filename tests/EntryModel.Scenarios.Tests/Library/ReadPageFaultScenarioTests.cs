using System.Text;
using EntryModel.Machine.Execution;
using EntryModel.Scenarios.Catalog;
using EntryModel.Scenarios.Library;
using EntryModel.Scenarios.Running;
using EntryModel.Scenarios.Seed;

namespace EntryModel.Scenarios.Tests.Library;

/// <summary>The seed's event executed by the machine: the traces of the seed thread come out of the run itself.</summary>
public class ReadPageFaultScenarioTests
{
    private static readonly Dictionary<string, ScenarioResult> Results = [];

    private static IEnumerable<string> Strategies() => StrategyCatalog.Names;

    [Test]
    public void Before_trace_under_none_equals_the_seed()
    {
        var result = RunUnder(SeedTraces.BeforeStrategy);

        Assert.That(result.Traces, Has.Count.EqualTo(1), result.Outcome);
        Assert.That(result.Traces[0].Text, Is.EqualTo(SeedTraces.Before), string.Join('\n', result.Traces[0].Text));
    }

    [Test]
    public void After_trace_under_pt_regs_frame_equals_the_seed()
    {
        var result = RunUnder(SeedTraces.AfterStrategy);

        Assert.That(result.Traces, Has.Count.EqualTo(1), result.Outcome);
        Assert.That(result.Traces[0].Text, Is.EqualTo(SeedTraces.After), string.Join('\n', result.Traces[0].Text));
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
        var trace = result.Traces.Single();
        var symbols = result.Session.Image.Symbols;

        Assert.That(symbols.TryLookup(trace.Rip - 1, out var at, out _) ? at.Name : null, Is.EqualTo("show_stack"));
        Assert.That(trace.Stack.Low, Is.EqualTo(result.Session.Kernel.InitTask.Stack.Low));
        if (result.Session.Image.Defines.Contains("CONFIG_FRAME_POINTER"))
        {
            Assert.That(trace.Sp, Is.EqualTo(trace.Bp), "with frame pointers show_stack asks for the dump with rsp == rbp");
        }
    }

    [Test]
    public void Ground_truth_at_the_dump_holds_the_page_fault_and_the_read_path()
    {
        var result = RunUnder(SeedTraces.BeforeStrategy);
        var symbols = result.Session.Image.Symbols;
        var frames = result.Traces[0].GroundTruth;
        var fault = frames.Single(f => f.Kind == EntryModel.Machine.GroundTruth.TrueFrameKind.Exception);

        Assert.That(fault.Vector, Is.EqualTo(14));
        Assert.That(fault.ReturnAddress, Is.EqualTo(symbols["copy_page_to_iter"].Address + 0x70));
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
