using System.Globalization;
using EntryModel.Unwinding.Image;
using EntryModel.Unwinding.Printing;

namespace EntryModel.Unwinding.Reliable;

/// <summary>
/// Livepatch's reliable stack trace (Documentation/livepatch/reliable-stacktrace.rst) over any
/// unwinder: a trace is returned only when every frame can be vouched for. It refuses an unwinder
/// that cannot see pt_regs, an in-kernel pt_regs, a return address that is not kernel text or does
/// not follow a call (or follows a direct call to another function than the inner frame's), any
/// unwinder error or caveat, and a walk that does not end at the end of the task's stack.
/// </summary>
/// <remarks>
/// The reliable walk is the unwinder's own walk with checks on top, so <see cref="Judge"/> decides
/// over a walk already collected (the sweep walks each stack once for both modes and allocates
/// nothing); <see cref="Walk"/> walks and checks frame by frame, stops at the first refusal, and
/// explains it in words. Both apply the same checks.
/// </remarks>
public sealed class ReliableWalker
{
    private readonly UnwindImage image;

    public ReliableWalker(UnwindImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        this.image = image;
    }

    public ReliableTrace Walk(IUnwinder unwinder, in UnwindStart start)
    {
        ArgumentNullException.ThrowIfNull(unwinder);
        var frames = new List<UnwindFrame>();
        var state = default(UnwindState);
        var refusal = unwinder.CanVouch ? ReliableRefusal.None : ReliableRefusal.UnwinderCannotVouch;
        int at = -1;
        if (refusal == ReliableRefusal.None)
        {
            // Frame by frame, stopping at the first one it cannot vouch for, as livepatch does.
            // The same walk as UnwindTrace.Collect's, frame for frame, so Walk and Judge agree.
            bool more = unwinder.Start(ref state, start);
            while (more)
            {
                frames.Add(UnwindFrame.Of(state));
                refusal = Check(frames[^1], frames.Count > 1 ? frames[^2] : null, out _);
                if (refusal != ReliableRefusal.None)
                {
                    at = frames.Count - 1;
                    break;
                }

                more = frames.Count < UnwindTrace.MaxFrames && unwinder.NextFrame(ref state);
            }

            if (refusal == ReliableRefusal.None)
            {
                refusal = AtEnd(state);
            }
        }

        return refusal == ReliableRefusal.None
            ? new ReliableTrace(unwinder.Name, true, frames, ReliableRefusal.None, string.Empty)
            : new ReliableTrace(unwinder.Name, false, frames, refusal, Explain(unwinder, refusal, frames, at, state));
    }

    /// <summary>
    /// Whether reliable mode vouches for <paramref name="frames"/>, the whole walk of
    /// <paramref name="unwinder"/> that ended in <paramref name="end"/>: <see cref="ReliableRefusal.None"/>,
    /// or the first reason to refuse, with the index of the frame that caused it in
    /// <paramref name="at"/> (-1 when the refusal is about the walk, not one frame).
    /// </summary>
    public ReliableRefusal Judge(IUnwinder unwinder, List<UnwindFrame> frames, in UnwindState end, out int at)
    {
        ArgumentNullException.ThrowIfNull(unwinder);
        ArgumentNullException.ThrowIfNull(frames);
        at = -1;
        if (!unwinder.CanVouch)
        {
            return ReliableRefusal.UnwinderCannotVouch;
        }

        for (int i = 0; i < frames.Count; i++)
        {
            var refusal = Check(frames[i], i > 0 ? frames[i - 1] : null, out _);
            if (refusal != ReliableRefusal.None)
            {
                at = i;
                return refusal;
            }
        }

        return AtEnd(end);
    }

    /// <summary>The reason to refuse a walk whose every frame passed, from how it ended.</summary>
    private static ReliableRefusal AtEnd(in UnwindState end) =>
        end.Caveats != UnwindCaveat.None ? ReliableRefusal.Caveat
        : end.Error != UnwindError.None ? ReliableRefusal.UnwinderError
        : !end.Done ? ReliableRefusal.WrongEnd
        : ReliableRefusal.None;

    /// <summary>Why <paramref name="refusal"/>, in words: the frame at <paramref name="at"/>, or the walk's end.</summary>
    private string Explain(IUnwinder unwinder, ReliableRefusal refusal, List<UnwindFrame> frames, int at, in UnwindState end)
    {
        if (at < 0)
        {
            return refusal switch
            {
                ReliableRefusal.UnwinderCannotVouch => $"the {unwinder.Name} unwinder cannot see pt_regs on this image ({image.Image.Strategy}), so it cannot vouch for any trace",
                ReliableRefusal.Caveat => $"the unwinder cannot vouch: {end.Caveats}",
                ReliableRefusal.UnwinderError => $"the unwinder stopped: {end.Error}",
                _ => "the walk did not reach the end of the task's stack",
            };
        }

        var frame = frames[at];
        Check(frame, at > 0 ? frames[at - 1] : null, out ulong target);
        return refusal switch
        {
            ReliableRefusal.InKernelRegs => string.Create(CultureInfo.InvariantCulture, $"in-kernel pt_regs at 0x{frame.Regs:x} (RIP={BacktraceSymbolizer.FormatAddress(image.Symbols, frame.Ip)})"),
            ReliableRefusal.NotKernelText => string.Create(CultureInfo.InvariantCulture, $"return address 0x{frame.Ip:x} is not kernel text"),
            ReliableRefusal.NotAfterCall => $"return address {BacktraceSymbolizer.FormatReturnAddress(image.Symbols, frame.Ip)} does not follow a call",
            _ => $"{BacktraceSymbolizer.FormatReturnAddress(image.Symbols, frame.Ip)} follows a call to {BacktraceSymbolizer.FormatAddress(image.Symbols, target)}, which does not hold {BacktraceSymbolizer.Format(image.Symbols, frames[at - 1])}",
        };
    }

    /// <summary>The reason to refuse <paramref name="frame"/> (below <paramref name="inner"/>), and the call target its return address follows.</summary>
    private ReliableRefusal Check(in UnwindFrame frame, UnwindFrame? inner, out ulong target)
    {
        target = 0;
        switch (frame.Kind)
        {
            case UnwindFrameKind.Regs when !frame.UserMode:
                return ReliableRefusal.InKernelRegs;
            case UnwindFrameKind.Call:
                if (!image.Text.Contains(frame.Ip))
                {
                    return ReliableRefusal.NotKernelText;
                }

                if (!image.CallSites.TryGetTarget(frame.Ip, out target))
                {
                    return ReliableRefusal.NotAfterCall;
                }

                return target != CallSites.Indirect && inner is { } callee && callee.Kind != UnwindFrameKind.Regs && !Calls(target, callee)
                    ? ReliableRefusal.CallTargetMismatch
                    : ReliableRefusal.None;
            default:
                return ReliableRefusal.None;
        }
    }

    /// <summary>Whether a direct call to <paramref name="target"/> enters the function the inner frame's ip lies in.</summary>
    private bool Calls(ulong target, UnwindFrame callee)
    {
        ulong at = callee.IsReturnAddress ? callee.Ip - 1 : callee.Ip;
        return image.Symbols.TryLookup(target, out var function, out ulong offset) && offset == 0 && function.Contains(at);
    }
}
