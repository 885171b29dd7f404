using System.Globalization;
using EntryModel.Scenarios.Running;
using EntryModel.Unwinding;
using EntryModel.Unwinding.Image;
using EntryModel.Unwinding.Printing;
using EntryModel.Unwinding.Reliable;

namespace EntryModel.Scenarios.Judging;

/// <summary>
/// The one place that holds ground truth and unwinder output side by side: walks a captured stack
/// with an unwinder, in normal and in reliable mode, and classifies both against the live frames.
/// </summary>
public sealed class StackJudge
{
    private readonly UnwindImage image;
    private readonly ReliableWalker reliable;

    public StackJudge(KernelImage image)
    {
        this.image = UnwindImage.For(image);
        reliable = new ReliableWalker(this.image);
    }

    /// <summary>The image's unwinding metadata.</summary>
    public UnwindImage Image => image;

    public StackJudgement Judge(StackCapture stack, IUnwinder unwinder)
    {
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentNullException.ThrowIfNull(unwinder);
        var truth = Truth(stack);
        var (trace, unwound, verdict, vouched, reliableVerdict) = Walk(stack, unwinder, truth);
        return new StackJudgement(unwinder.Name, trace, Rows(unwound, truth), verdict, vouched, reliableVerdict);
    }

    /// <summary>
    /// The verdicts alone, without the rows of text a report needs: what the sweep asks at every
    /// point, against <paramref name="truth"/> (<see cref="Truth"/> of the stack, taken once for all
    /// unwinders). Also gives the frames the walk reported.
    /// </summary>
    public (TraceVerdict Verdict, ReliableVerdict Reliable, ExpectedFrame[] Unwound) Verdicts(StackCapture stack, IUnwinder unwinder, ExpectedFrame[] truth)
    {
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentNullException.ThrowIfNull(unwinder);
        ArgumentNullException.ThrowIfNull(truth);
        var (_, unwound, verdict, _, reliableVerdict) = Walk(stack, unwinder, truth);
        return (verdict, reliableVerdict, unwound);
    }

    /// <summary>The live frames of <paramref name="stack"/> as a comparison sees them.</summary>
    public static ExpectedFrame[] Truth(StackCapture stack)
    {
        ArgumentNullException.ThrowIfNull(stack);
        return [.. stack.GroundTruth.Select(ExpectedFrame.Of)];
    }

    /// <summary>Both walks (normal and reliable) and their verdicts against the truth.</summary>
    private (UnwindTrace Trace, ExpectedFrame[] Unwound, TraceVerdict Verdict, ReliableTrace Vouched, ReliableVerdict Reliable) Walk(StackCapture stack, IUnwinder unwinder, ExpectedFrame[] truth)
    {
        var trace = UnwindTrace.Collect(unwinder, stack.Start);
        ExpectedFrame[] unwound = [.. trace.Reported.Select(ExpectedFrame.Of)];
        var vouched = reliable.Walk(unwinder, stack.Start);
        return (trace, unwound, Classify(unwound, truth, trace.Error), vouched, VerdictOf(vouched, truth));
    }

    public StackJudgement Judge(StackCapture stack, string unwinder) => Judge(stack, UnwinderCatalog.Create(unwinder, image));

    /// <summary>A frame as trace text: a return address (<c>%pB</c>), or an event boundary with its saved RIP.</summary>
    public string Describe(ExpectedFrame frame) =>
        !frame.Boundary ? BacktraceSymbolizer.FormatReturnAddress(image.Symbols, frame.Ip)
        : frame.UserMode ? string.Create(CultureInfo.InvariantCulture, $"user mode, RIP=0x{frame.Ip:x}")
        : $"kernel mode, RIP={BacktraceSymbolizer.FormatAddress(image.Symbols, frame.Ip)}";

    /// <summary>Reliable mode's answer against the truth: a refusal is always safe; a vouched trace must be exact.</summary>
    public static ReliableVerdict VerdictOf(ReliableTrace vouched, ExpectedFrame[] truth)
    {
        ArgumentNullException.ThrowIfNull(vouched);
        return !vouched.Reliable ? ReliableVerdict.Refused
            : vouched.Frames.Where(f => f.Kind != UnwindFrameKind.Current).Select(ExpectedFrame.Of).SequenceEqual(truth) ? ReliableVerdict.Vouched
            : ReliableVerdict.WrongWhileReliable;
    }

    public static TraceVerdict Classify(ExpectedFrame[] unwound, ExpectedFrame[] truth, UnwindError error)
    {
        if (unwound.AsSpan().SequenceEqual(truth) && error == UnwindError.None)
        {
            return TraceVerdict.Exact;
        }

        return unwound.Length <= truth.Length && truth.AsSpan(0, unwound.Length).SequenceEqual(unwound) ? TraceVerdict.Incomplete : TraceVerdict.Wrong;
    }

    private JudgedRow[] Rows(ExpectedFrame[] unwound, ExpectedFrame[] truth)
    {
        int n = Math.Max(unwound.Length, truth.Length);
        return [.. Enumerable.Range(0, n).Select(i => new JudgedRow(
            i < unwound.Length ? Describe(unwound[i]) : null,
            i < truth.Length ? Describe(truth[i]) : null))];
    }
}
