using System.Globalization;
using EntryModel.Machine.GroundTruth;
using EntryModel.Scenarios.Running;
using EntryModel.Unwinding.Printing;

namespace EntryModel.Scenarios.Reporting;

/// <summary>A scenario result as text: the outcome, the stop, each captured trace, and each task's ground truth.</summary>
public static class ScenarioReport
{
    public static IEnumerable<string> Format(ScenarioResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var symbols = result.Session.Image.Symbols;
        yield return $"{result.Scenario} under {result.Strategy}: {(result.OutcomeAsExpected ? "as expected" : "NOT as expected")}";
        yield return $"  outcome: {result.Outcome}";
        yield return $"  stop: {result.Stop}";
        foreach (var trace in result.Traces)
        {
            yield return $"  trace: {trace.Title}";
            foreach (string line in trace.Text)
            {
                yield return "    " + line;
            }
        }

        foreach (var task in result.Tasks)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"  ground truth, task {task.Task.Name} ({(task.Running ? "running" : "asleep")}, saved rsp {task.SavedRsp:x}):");
            foreach (var frame in task.Frames)
            {
                yield return "    " + Describe(symbols, frame);
            }
        }
    }

    private static string Describe(SymbolTable symbols, TrueFrame frame)
    {
        string where = frame.Kind == TrueFrameKind.StackSwitch
            ? string.Create(CultureInfo.InvariantCulture, $"to {frame.Stack?.Name ?? "?"}")
            : BacktraceSymbolizer.Format(symbols, frame.ReturnAddress);
        string vector = frame.Vector >= 0 ? string.Create(CultureInfo.InvariantCulture, $" vector 0x{frame.Vector:x}") : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"{frame.Kind,-11} slot {frame.Slot:x16}  {where}{vector}");
    }
}
