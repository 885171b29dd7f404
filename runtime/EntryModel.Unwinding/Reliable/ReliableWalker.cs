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
        if (!unwinder.CanVouch)
        {
            return Refuse(unwinder, frames, ReliableRefusal.UnwinderCannotVouch, $"the {unwinder.Name} unwinder cannot see pt_regs on this image ({image.Image.Strategy}), so it cannot vouch for any trace");
        }

        var state = default(UnwindState);
        bool more = unwinder.Start(ref state, start);
        UnwindFrame? inner = null;
        while (more && frames.Count < UnwindTrace.MaxFrames)
        {
            var frame = UnwindFrame.Of(state);
            frames.Add(frame);
            if (Check(frame, inner) is { } refusal)
            {
                return Refuse(unwinder, frames, refusal.Reason, refusal.Text);
            }

            inner = frame;
            more = unwinder.NextFrame(ref state);
        }

        if (state.Caveats != UnwindCaveat.None)
        {
            return Refuse(unwinder, frames, ReliableRefusal.Caveat, $"the unwinder cannot vouch: {state.Caveats}");
        }

        if (state.Error != UnwindError.None)
        {
            return Refuse(unwinder, frames, ReliableRefusal.UnwinderError, $"the unwinder stopped: {state.Error}");
        }

        if (!state.Done)
        {
            return Refuse(unwinder, frames, ReliableRefusal.WrongEnd, "the walk did not reach the end of the task's stack");
        }

        return new ReliableTrace(unwinder.Name, true, frames, ReliableRefusal.None, string.Empty);
    }

    private (ReliableRefusal Reason, string Text)? Check(UnwindFrame frame, UnwindFrame? inner)
    {
        switch (frame.Kind)
        {
            case UnwindFrameKind.Regs when !frame.UserMode:
                return (ReliableRefusal.InKernelRegs, string.Create(CultureInfo.InvariantCulture, $"in-kernel pt_regs at 0x{frame.Regs:x} (RIP={BacktraceSymbolizer.FormatAddress(image.Symbols, frame.Ip)})"));
            case UnwindFrameKind.Call:
                if (!image.Text.Contains(frame.Ip))
                {
                    return (ReliableRefusal.NotKernelText, string.Create(CultureInfo.InvariantCulture, $"return address 0x{frame.Ip:x} is not kernel text"));
                }

                if (!image.CallSites.TryGetTarget(frame.Ip, out ulong target))
                {
                    return (ReliableRefusal.NotAfterCall, $"return address {BacktraceSymbolizer.FormatReturnAddress(image.Symbols, frame.Ip)} does not follow a call");
                }

                if (target != CallSites.Indirect && inner is { } callee && callee.Kind != UnwindFrameKind.Regs && !Calls(target, callee))
                {
                    return (ReliableRefusal.CallTargetMismatch, $"{BacktraceSymbolizer.FormatReturnAddress(image.Symbols, frame.Ip)} follows a call to {BacktraceSymbolizer.FormatAddress(image.Symbols, target)}, which does not hold {BacktraceSymbolizer.Format(image.Symbols, callee)}");
                }

                return null;
            default:
                return null;
        }
    }

    /// <summary>Whether a direct call to <paramref name="target"/> enters the function the inner frame's ip lies in.</summary>
    private bool Calls(ulong target, UnwindFrame callee)
    {
        ulong at = callee.IsReturnAddress ? callee.Ip - 1 : callee.Ip;
        return image.Symbols.TryLookup(target, out var function, out ulong offset) && offset == 0 && function.Contains(at);
    }

    private static ReliableTrace Refuse(IUnwinder unwinder, List<UnwindFrame> frames, ReliableRefusal reason, string text) =>
        new(unwinder.Name, false, frames, reason, text);
}
