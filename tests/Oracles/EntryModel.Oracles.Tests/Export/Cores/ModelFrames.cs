using EntryModel.Machine.GroundTruth;
using EntryModel.Scenarios.Running;
using EntryModel.Unwinding;
using EntryModel.Unwinding.Image;

namespace EntryModel.Oracles.Tests.Export.Cores;

/// <summary>One activation as the model sees it: its function, and whether it stands on pt_regs (its caller was interrupted, not calling).</summary>
internal readonly record struct ModelFrame(string Function, bool OnPtRegs);

/// <summary>
/// A stop's frames as function names, named the way gdb names them: the running frame and a frame
/// entered from pt_regs by their exact pc, a frame entered by a return address by the byte before
/// it (the call); kernel frames only (up to the return to user mode).
/// </summary>
internal static class ModelFrames
{
    /// <summary>Ground truth: the running function, then every live frame's resume address.</summary>
    public static IReadOnlyList<ModelFrame> Truth(KernelImage image, ulong rip, IReadOnlyList<TrueFrame> truth)
    {
        var live = truth.Where(f => f.Kind != TrueFrameKind.StackSwitch).ToList();
        var frames = new List<ModelFrame> { new(Name(image, rip), live.Count > 0 && live[0].IsBoundary) };
        for (int i = 0; i < live.Count; i++)
        {
            var frame = live[i];
            if (frame.Kind == TrueFrameKind.Syscall || !IsKernel(frame.ReturnAddress))
            {
                break;
            }

            bool onPtRegs = i + 1 < live.Count && live[i + 1].IsBoundary;
            frames.Add(new ModelFrame(Name(image, frame.Kind == TrueFrameKind.Call ? frame.ReturnAddress - 1 : frame.ReturnAddress), onPtRegs));
        }

        return frames;
    }

    /// <summary>
    /// One unwinder's walk of <paramref name="capture"/>. Whether a frame stands on pt_regs: with ORC
    /// tables, as gdb decides it from the FDEs of the rows, even where the walk stops at that frame: a
    /// regs row in force where the frame's code is looked up (the byte before a return address), or at
    /// its exact pc (gdb's signal-frame sniffer looks there: a return address at the first byte of
    /// entry code standing on pt_regs, as ret_from_fork is for a new task, makes a signal frame);
    /// without ORC tables, whether the walk's next frame is a pt_regs one.
    /// </summary>
    public static IReadOnlyList<ModelFrame> Unwound(KernelImage image, string unwinder, StackCapture capture)
    {
        var frames = UnwindTrace.Collect(UnwinderCatalog.Create(unwinder, UnwindImage.For(image)), capture.Start).Frames
            .Where(f => f.Kind != UnwindFrameKind.None)
            .ToList();
        var result = new List<ModelFrame>();
        for (int i = 0; i < frames.Count && !frames[i].UserMode && IsKernel(frames[i].Ip); i++)
        {
            ulong lookup = frames[i].IsReturnAddress ? frames[i].Ip - 1 : frames[i].Ip;
            bool onPtRegs = image.Orc is { } orc
                ? IsRegsRow(orc, lookup) || IsRegsRow(orc, frames[i].Ip)
                : i + 1 < frames.Count && frames[i + 1].Kind == UnwindFrameKind.Regs;
            result.Add(new ModelFrame(Name(image, lookup), onPtRegs));
        }

        return result;
    }

    /// <summary>The names alone.</summary>
    public static IReadOnlyList<string> Names(IEnumerable<ModelFrame> frames) => [.. frames.Select(f => f.Function)];

    /// <summary>
    /// The names as gdb prints them with CFI that marks code standing on pt_regs as a signal frame
    /// (the <c>orc</c> image's <c>.eh_frame</c>): such a frame is "&lt;signal handler called&gt;".
    /// </summary>
    public static IReadOnlyList<string> AsGdbWithSignalFrames(IEnumerable<ModelFrame> frames) =>
        [.. frames.Select(f => f.OnPtRegs ? GdbFrame.SignalFrame : f.Function)];

    public static string Name(KernelImage image, ulong address) =>
        image.Symbols.TryLookup(address, out var symbol, out _) ? symbol.Name : "??";

    private static bool IsRegsRow(OrcTable orc, ulong address) => orc.TryFind(address, out var row) && !row.IsUndefined && row.Type != OrcType.Call;

    public static bool IsKernel(ulong address) => address >= 0xffff_8000_0000_0000;
}
