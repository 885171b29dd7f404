using System.Globalization;
using EntryModel.Unwinding.Image;

namespace EntryModel.Unwinding.Printing;

/// <summary>
/// The printer the seed thread asked for: only the frames the unwinder reports, no scan. At a
/// pt_regs frame it names the exception boundary (<c>page fault, RIP=copy_page_to_iter+0x70/0x440</c>),
/// as Andy Lutomirski wished, optionally with the saved registers as <c>show_regs</c> prints them,
/// then goes on from the saved RIP, so the interrupted function is printed without <c>?</c>. A
/// walk that stops early ends with a line saying why.
/// </summary>
public sealed class SmartStackPrinter
{
    private readonly UnwindImage image;
    private readonly EventBoundary boundaries;

    public SmartStackPrinter(UnwindImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        this.image = image;
        boundaries = new EventBoundary(image.Image);
    }

    /// <summary>Whether each boundary is followed by the registers saved in its pt_regs.</summary>
    public bool ShowRegisters { get; init; }

    public IReadOnlyList<StackTraceLine> Trace(IUnwinder unwinder, in UnwindStart start)
    {
        ArgumentNullException.ThrowIfNull(unwinder);
        var trace = UnwindTrace.Collect(unwinder, start);
        var lines = new List<StackTraceLine>();
        ulong previous = 0;
        foreach (var frame in trace.Frames)
        {
            switch (frame.Kind)
            {
                case UnwindFrameKind.Current:
                    break;
                case UnwindFrameKind.Regs:
                    string name = boundaries.Name(previous);
                    lines.Add(StackTraceLine.Note(EventBoundary.Line(name, frame.Ip, frame.UserMode, image.Symbols)));
                    if (ShowRegisters)
                    {
                        lines.AddRange(SavedRegisters(start.Memory, frame.Regs).Select(StackTraceLine.Note));
                    }

                    if (!frame.UserMode)
                    {
                        lines.Add(new StackTraceLine(frame.Ip, true, frame.Slot, BacktraceSymbolizer.FormatAddress(image.Symbols, frame.Ip)));
                    }

                    break;
                default:
                    lines.Add(new StackTraceLine(frame.Ip, frame.Kind == UnwindFrameKind.Call, frame.Slot, BacktraceSymbolizer.FormatReturnAddress(image.Symbols, frame.Ip)));
                    break;
            }

            previous = frame.IsReturnAddress ? frame.Ip : 0;
        }

        if (trace.Error != UnwindError.None)
        {
            lines.Add(StackTraceLine.Note($"(the {unwinder.Name} unwinder stopped: {trace.Error})"));
        }

        return lines;
    }

    public IReadOnlyList<string> Print(IUnwinder unwinder, in UnwindStart start) =>
        [.. Trace(unwinder, start).Select(line => line.ToString())];

    /// <summary>The registers of the pt_regs at <paramref name="regs"/>, three to a line, as show_regs prints them.</summary>
    private IEnumerable<string> SavedRegisters(IMemoryReader memory, ulong regs)
    {
        var layout = image.PtRegs;
        ulong Read(string field) => memory.TryReadUInt64(regs + (ulong)layout.Offsets[field], out ulong v) ? v : 0;
        yield return string.Create(CultureInfo.InvariantCulture, $" RIP: {Read("CS"):x4}:{BacktraceSymbolizer.FormatAddress(image.Symbols, Read("RIP"))}");
        yield return string.Create(CultureInfo.InvariantCulture, $" RSP: {Read("SS"):x4}:{Read("RSP"):x16} EFLAGS: {Read("EFLAGS"):x8}");
        string[][] rows =
        [
            ["RAX", "RBX", "RCX"], ["RDX", "RSI", "RDI"], ["RBP", "R8", "R9"], ["R10", "R11", "R12"], ["R13", "R14", "R15"],
        ];
        foreach (var row in rows)
        {
            yield return " " + string.Join(' ', row.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r,3}: {Read(r):x16}")));
        }

        yield return string.Create(CultureInfo.InvariantCulture, $" ORIG_RAX: {Read("ORIG_RAX"):x16}");
    }
}
