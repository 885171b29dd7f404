using EntryModel.Unwinding.Image;
using EntryModel.Unwinding.Unwinders;

namespace EntryModel.Unwinding;

/// <summary>
/// The unwinders by name, and which of them each strategy's image supports: <c>guess</c> always,
/// <c>frame</c> with frame pointers, <c>orc</c> with ORC tables, and the one that reads the
/// strategy's own marks.
/// </summary>
public static class UnwinderCatalog
{
    private static readonly (string Define, string Unwinder)[] Marks =
    [
        (StrategyMarks.PtRegsFrame, "frame-ptregs"),
        (StrategyMarks.EncodedRbp, "frame-encoded"),
        (StrategyMarks.EntrySection, "section"),
        (StrategyMarks.TaskFlag, "task-flag"),
    ];

    public static IReadOnlyList<string> Names { get; } = ["guess", "frame", "frame-ptregs", "frame-encoded", "section", "task-flag", "orc"];

    public static bool TryCreate(string name, UnwindImage image, out IUnwinder unwinder)
    {
        ArgumentNullException.ThrowIfNull(image);
        unwinder = name switch
        {
            "guess" => new GuessUnwinder(image),
            "frame" => new FramePointerUnwinder(image),
            "frame-ptregs" => new PtRegsFrameUnwinder(image),
            "frame-encoded" => new EncodedFramePointerUnwinder(image),
            "section" => new EntrySectionUnwinder(image),
            "task-flag" => new TaskFlagUnwinder(image),
            "orc" => new OrcUnwinder(image),
            _ => null!,
        };
        return unwinder is not null;
    }

    public static IUnwinder Create(string name, UnwindImage image) =>
        TryCreate(name, image, out var unwinder) ? unwinder : throw new ArgumentException($"unknown unwinder '{name}'", nameof(name));

    /// <summary>The unwinders the image's strategy supports, the strategy's own last.</summary>
    public static IReadOnlyList<string> For(KernelImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var names = new List<string> { "guess" };
        if (image.Defines.Contains(StrategyMarks.FramePointer))
        {
            names.Add("frame");
        }

        names.AddRange(Marks.Where(m => image.Defines.Contains(m.Define)).Select(m => m.Unwinder));
        if (image.Orc is not null)
        {
            names.Add("orc");
        }

        return names;
    }

    /// <summary>The unwinder made for the strategy (its ORC tables, its marks, or the plain frame walk), or null with the reason in <paramref name="missing"/>.</summary>
    public static string? Own(KernelImage image, out string? missing)
    {
        ArgumentNullException.ThrowIfNull(image);
        missing = null;
        bool orc = image.Defines.Contains(StrategyMarks.Orc);
        if (orc && image.Orc is not null)
        {
            return "orc";
        }

        if (Marks.FirstOrDefault(m => image.Defines.Contains(m.Define)) is { Unwinder: { } marked })
        {
            return marked;
        }

        if (image.Defines.Contains(StrategyMarks.FramePointer))
        {
            return "frame";
        }

        missing = orc
            ? $"strategy {image.Strategy} has no unwinder of its own yet: its image carries no ORC tables for the orc unwinder to read; without frame pointers only a scan (--unwinder guess) is possible"
            : $"strategy {image.Strategy} keeps no frame pointers and marks nothing an unwinder here can read; only a scan (--unwinder guess) is possible";
        return null;
    }
}
