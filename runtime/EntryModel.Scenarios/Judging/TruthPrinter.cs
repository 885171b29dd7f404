using System.Globalization;
using EntryModel.Machine.GroundTruth;
using EntryModel.Unwinding.Printing;

namespace EntryModel.Scenarios.Judging;

/// <summary>
/// Ground truth in the smart printer's words: a return address per call, and at each event its name
/// (from the event itself: the vector the machine delivered, or the syscall) with the saved RIP. The
/// smart printer names events from entry code instead, so the two agree only when the unwinder does.
/// </summary>
public static class TruthPrinter
{
    public static IReadOnlyList<string> Print(KernelImage image, IReadOnlyList<TrueFrame> frames)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(frames);
        var symbols = image.Symbols;
        var lines = new List<string>();
        foreach (var frame in frames)
        {
            if (!frame.IsBoundary)
            {
                lines.Add(new StackTraceLine(frame.ReturnAddress, true, frame.Slot, BacktraceSymbolizer.FormatReturnAddress(symbols, frame.ReturnAddress)).ToString());
                continue;
            }

            string name = frame.Kind == TrueFrameKind.Syscall ? "system call" : EventBoundary.VectorName(frame.Vector);
            bool user = (long)frame.ReturnAddress >= 0;
            lines.Add(EventBoundary.Line(name, frame.ReturnAddress, user, symbols));
            if (user)
            {
                continue;
            }

            lines.Add(new StackTraceLine(frame.ReturnAddress, true, frame.Slot, BacktraceSymbolizer.FormatAddress(symbols, frame.ReturnAddress)).ToString());
        }

        return lines;
    }
}
