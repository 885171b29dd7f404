using System.Globalization;
using System.Text.RegularExpressions;

namespace EntryModel.Oracles.Tests.Export.Cores;

/// <summary>
/// One frame of gdb's <c>bt</c>: the function gdb names (<c>??</c> for none) and the frame's pc; a
/// signal frame (an FDE of a CIE with "S": code standing on pt_regs) gdb prints as
/// <see cref="SignalFrame"/>, without a pc (0 here).
/// </summary>
internal readonly record struct GdbFrame(string Function, ulong Pc)
{
    public const string SignalFrame = "<signal handler called>";

    public bool IsSignal => Function == SignalFrame;

    /// <summary>A frame in the kernel's half of the address space (signal frames are entry code).</summary>
    public bool IsKernel => IsSignal || Pc >= 0xffff_8000_0000_0000;
}

/// <summary>gdb's <c>bt</c> on an image and a core: its frames, and why it stopped when it says.</summary>
internal sealed partial record GdbBacktrace(IReadOnlyList<GdbFrame> Frames, string? StoppedBecause)
{
    /// <summary>bt with every frame's pc (gdb leaves it out where the pc starts a line).</summary>
    public const string Command = "bt -frame-info location-and-address";

    public static GdbBacktrace Of(string image, string core)
    {
        // The echo marks where bt starts: gdb prints frame #0 once more when it loads the core.
        string output = Binutils.Run("gdb", "-batch", "-nx", "-ex", "info registers rip", "-ex", "echo @@bt\\n", "-ex", Command, image, core);
        int start = output.IndexOf("@@bt\n", StringComparison.Ordinal);
        if (start < 0)
        {
            throw new InvalidOperationException($"gdb printed no backtrace:\n{output}");
        }

        ulong rip = ulong.Parse(RipRow().Match(output).Groups["rip"].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        return Parse(output[start..], rip);
    }

    /// <summary>The backtrace in <paramref name="output"/> (from its last frame #0 on: loading a core prints frame #0 once before); frame #0's pc is <paramref name="rip"/>.</summary>
    public static GdbBacktrace Parse(string output, ulong rip)
    {
        int last = output.LastIndexOf("\n#0 ", StringComparison.Ordinal);
        string bt = last < 0 ? output : output[(last + 1)..];
        var frames = new List<GdbFrame>();
        foreach (Match m in FrameRow().Matches(bt))
        {
            if (m.Groups["signal"].Success)
            {
                frames.Add(new GdbFrame(GdbFrame.SignalFrame, 0));
                continue;
            }

            ulong pc = m.Groups["pc"].Success ? ulong.Parse(m.Groups["pc"].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture) : rip;
            frames.Add(new GdbFrame(m.Groups["function"].Value, pc));
        }

        var stopped = StoppedRow().Match(bt);
        return new GdbBacktrace(frames, stopped.Success ? stopped.Groups["why"].Value : null);
    }

    public IReadOnlyList<string> Functions => [.. Frames.Select(f => f.Function)];

    /// <summary>The frames before the first in user space.</summary>
    public IReadOnlyList<string> KernelFunctions => [.. Frames.TakeWhile(f => f.IsKernel).Select(f => f.Function)];

    /// <summary>The frames from the first in user space on.</summary>
    public IReadOnlyList<GdbFrame> UserFrames => [.. Frames.SkipWhile(f => f.IsKernel)];

    public override string ToString() => string.Join(" | ", Frames.Select(f => $"{f.Function}@{f.Pc:x}")) + (StoppedBecause is null ? string.Empty : $" (stopped: {StoppedBecause})");

    [GeneratedRegex(@"^rip\s+0x(?<rip>[0-9a-f]+)", RegexOptions.Multiline)]
    private static partial Regex RipRow();

    [GeneratedRegex(@"^#(?<n>\d+)\s+(?:(?<signal><signal handler called>)|(?:0x(?<pc>[0-9a-f]+) in )?(?<function>\S+) \()", RegexOptions.Multiline)]
    private static partial Regex FrameRow();

    [GeneratedRegex(@"^Backtrace stopped: (?<why>.*)$", RegexOptions.Multiline)]
    private static partial Regex StoppedRow();
}
