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
    /// unwinders). One walk serves both modes (reliable mode judges the same frames), collected into
    /// <paramref name="frames"/>, which the caller reuses: nothing is allocated. The walk's frames
    /// stay there for a caller that wants them (<see cref="Reported"/>).
    /// </summary>
    public (TraceVerdict Verdict, ReliableVerdict Reliable) Verdicts(StackCapture stack, IUnwinder unwinder, ExpectedFrame[] truth, List<UnwindFrame> frames)
    {
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentNullException.ThrowIfNull(unwinder);
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(frames);
        var state = default(UnwindState);
        UnwindTrace.Collect(unwinder, stack.Start, frames, ref state);
        bool matches = MatchesTruth(frames, truth, out int reported, out int agreeing);
        var verdict = Verdict(reported, agreeing, truth.Length, state.Error);
        var refusal = reliable.Judge(unwinder, frames, state, out _);
        var reliableVerdict = refusal != ReliableRefusal.None ? ReliableVerdict.Refused : matches ? ReliableVerdict.Vouched : ReliableVerdict.WrongWhileReliable;
        return (verdict, reliableVerdict);
    }

    /// <summary>The frames a walk reports (all but a running start's own position), as a comparison sees them.</summary>
    public static ExpectedFrame[] Reported(IReadOnlyList<UnwindFrame> frames)
    {
        ArgumentNullException.ThrowIfNull(frames);
        return [.. frames.Where(f => f.Kind != UnwindFrameKind.Current).Select(ExpectedFrame.Of)];
    }

    /// <summary>The live frames of <paramref name="stack"/> as a comparison sees them.</summary>
    public static ExpectedFrame[] Truth(StackCapture stack)
    {
        ArgumentNullException.ThrowIfNull(stack);
        var live = stack.GroundTruth;
        var truth = new ExpectedFrame[live.Count];
        for (int i = 0; i < truth.Length; i++)
        {
            truth[i] = ExpectedFrame.Of(live[i]);
        }

        return truth;
    }

    /// <summary>Both walks (normal, then reliable mode's own, which stops at its first refusal) and their verdicts against the truth.</summary>
    private (UnwindTrace Trace, ExpectedFrame[] Unwound, TraceVerdict Verdict, ReliableTrace Vouched, ReliableVerdict Reliable) Walk(StackCapture stack, IUnwinder unwinder, ExpectedFrame[] truth)
    {
        var trace = UnwindTrace.Collect(unwinder, stack.Start);
        var unwound = Reported(trace.Frames);
        var vouched = reliable.Walk(unwinder, stack.Start);
        return (trace, unwound, Classify(unwound, truth, trace.Error), vouched, VerdictOf(vouched, truth));
    }

    /// <summary>
    /// Whether the reported frames of <paramref name="frames"/> are exactly <paramref name="truth"/>;
    /// also how many it reports and how many of those agree with the truth from the innermost on.
    /// </summary>
    private static bool MatchesTruth(List<UnwindFrame> frames, ExpectedFrame[] truth, out int reported, out int agreeing)
    {
        reported = 0;
        agreeing = 0;
        bool prefix = true;
        foreach (var frame in System.Runtime.InteropServices.CollectionsMarshal.AsSpan(frames))
        {
            if (frame.Kind == UnwindFrameKind.Current)
            {
                continue;
            }

            prefix = prefix && reported < truth.Length && truth[reported] == ExpectedFrame.Of(frame);
            agreeing += prefix ? 1 : 0;
            reported++;
        }

        return prefix && reported == truth.Length;
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
        ArgumentNullException.ThrowIfNull(unwound);
        ArgumentNullException.ThrowIfNull(truth);
        int agreeing = unwound.AsSpan().CommonPrefixLength(truth);
        return Verdict(unwound.Length, agreeing, truth.Length, error);
    }

    /// <summary>
    /// The one rule both paths classify by, from how many frames a walk reported, how many of them
    /// agree with the truth from the innermost on, and how it ended: exact only when all of them and
    /// all of the truth agree and the walk ended without error; incomplete when what it reported is
    /// a prefix of the truth; wrong otherwise.
    /// </summary>
    private static TraceVerdict Verdict(int reported, int agreeing, int truthLength, UnwindError error) =>
        agreeing != reported || reported > truthLength ? TraceVerdict.Wrong
        : reported == truthLength && error == UnwindError.None ? TraceVerdict.Exact
        : TraceVerdict.Incomplete;

    private JudgedRow[] Rows(ExpectedFrame[] unwound, ExpectedFrame[] truth)
    {
        int n = Math.Max(unwound.Length, truth.Length);
        return [.. Enumerable.Range(0, n).Select(i => new JudgedRow(
            i < unwound.Length ? Describe(unwound[i]) : null,
            i < truth.Length ? Describe(truth[i]) : null))];
    }
}
