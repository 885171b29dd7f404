using System.Globalization;
using EntryModel.Machine.GroundTruth;
using EntryModel.Scenarios.Judging;
using EntryModel.Scenarios.Running;
using EntryModel.Unwinding;
using EntryModel.Unwinding.Image;
using EntryModel.Unwinding.Printing;

namespace EntryModel.Scenarios.Reporting;

/// <summary>
/// A scenario result as text: the outcome, the stop, each captured stack as the chosen unwinder and
/// printer show it, beside ground truth (<c>=</c> / <c>!</c>) with the verdict, reliable mode's
/// answer, and each task's ground truth.
/// </summary>
public static class ScenarioReport
{
    public static IEnumerable<string> Format(ScenarioResult result, ReportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        options ??= ReportOptions.Default;
        var image = result.Session.Image;
        var symbols = image.Symbols;
        yield return $"{result.Scenario} under {result.Strategy}: program outcome {(result.OutcomeAsExpected ? "as expected" : "NOT as expected")}";
        yield return $"  outcome: {result.Outcome}";
        yield return $"  stop: {result.Stop}";

        string? own = UnwinderCatalog.Own(image, out string? missing);
        string? name = options.Unwinder ?? own;
        if (name is null)
        {
            yield return $"  stacks: {result.Stacks.Count} captured, none unwound: {missing}";
        }
        else
        {
            var unwinder = UnwinderCatalog.Create(name, UnwindImage.For(image));
            var printer = options.PrinterFor(unwinder);
            yield return $"  unwinder: {name} ({(own == name ? "the strategy's own" : "not the strategy's own")}); printer: {printer.ToString().ToLowerInvariant()}{(options.Reliable ? "; reliable mode" : string.Empty)}";
            var judge = new StackJudge(image);
            foreach (var stack in result.Stacks)
            {
                foreach (string line in FormatStack(judge, stack, unwinder, printer, options))
                {
                    yield return "  " + line;
                }
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

    /// <summary>One captured stack: the printed trace (or reliable mode's answer), then the walk beside the truth.</summary>
    public static IEnumerable<string> FormatStack(StackJudge judge, StackCapture stack, IUnwinder unwinder, PrinterKind printer, ReportOptions options)
    {
        ArgumentNullException.ThrowIfNull(judge);
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentNullException.ThrowIfNull(options);
        var judgement = judge.Judge(stack, unwinder);
        yield return $"{stack.Title}:";
        if (options.Reliable)
        {
            yield return $"  reliable: {Verdict(judgement.ReliableVerdict)}{(judgement.Reliable.Reliable ? string.Empty : ": " + judgement.Reliable.Reason)}";
            if (!judgement.Reliable.Reliable)
            {
                yield break;
            }
        }

        foreach (string line in Print(judge.Image, stack, unwinder, printer, options.Registers))
        {
            yield return "  " + line;
        }

        yield return $"  beside ground truth: {judgement.Verdict.ToString().ToLowerInvariant()} ({judgement.MatchingRows} of {judgement.Rows.Count} frames){(judgement.Trace.Error == UnwindError.None ? string.Empty : $", the walk stopped: {judgement.Trace.Error}")}";
        int width = Math.Max("unwound".Length, judgement.Rows.Select(r => r.Unwound?.Length ?? "(missing)".Length).DefaultIfEmpty(0).Max());
        yield return $"      {"unwound".PadRight(width)}   ground truth";
        foreach (var row in judgement.Rows)
        {
            yield return $"    {(row.Matches ? '=' : '!')} {(row.Unwound ?? "(missing)").PadRight(width)}   {row.Truth ?? "(none)"}";
        }

        if (!options.Reliable)
        {
            yield return $"  reliable mode: {Verdict(judgement.ReliableVerdict)}{(judgement.Reliable.Reliable ? string.Empty : ": " + judgement.Reliable.Reason)}";
        }
    }

    /// <summary>The trace as the chosen printer prints it.</summary>
    public static IReadOnlyList<string> Print(UnwindImage image, StackCapture stack, IUnwinder unwinder, PrinterKind printer, bool registers)
    {
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentNullException.ThrowIfNull(unwinder);
        return printer == PrinterKind.Classic
            ? new ClassicStackPrinter(image).Print(unwinder, stack.Start)
            : new SmartStackPrinter(image) { ShowRegisters = registers }.Print(unwinder, stack.Start);
    }

    private static string Verdict(ReliableVerdict verdict) => verdict switch
    {
        ReliableVerdict.Vouched => "vouched, and the trace is exact",
        ReliableVerdict.Refused => "refused",
        _ => "VOUCHED FOR A WRONG TRACE",
    };

    private static string Describe(SymbolTable symbols, TrueFrame frame)
    {
        string where = frame.Kind == TrueFrameKind.StackSwitch
            ? string.Create(CultureInfo.InvariantCulture, $"to {frame.Stack?.Name ?? "?"}")
            : frame.IsBoundary ? BacktraceSymbolizer.FormatAddress(symbols, frame.ReturnAddress) : BacktraceSymbolizer.FormatReturnAddress(symbols, frame.ReturnAddress);
        string vector = frame.Vector >= 0 ? string.Create(CultureInfo.InvariantCulture, $" vector 0x{frame.Vector:x}") : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"{frame.Kind,-11} slot {frame.Slot:x16}  {where}{vector}");
    }
}
