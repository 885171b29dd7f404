using System.Globalization;
using EntryModel.Unwinding.Image;

namespace EntryModel.Unwinding.Tests.Properties;

/// <summary>
/// How a soundness property corrupts a stack: which words it may overwrite, the value each
/// corruption class draws (unreadable, zero, random, pointers down, at and up the stack, the stack's
/// bounds, far off, kernel text that follows no call, user text, and selector-like numbers; a plan
/// may add classes), and which values it keeps out: a forged but valid pointer up the stack to a
/// genuine frame or pt_regs, which no unwinder can tell from the truth.
/// </summary>
internal abstract class CorruptionPlan
{
    private readonly UnwindImage image;
    private readonly ulong markerReturn;

    protected CorruptionPlan(UnwindImage image, ulong markerReturn)
    {
        this.image = image;
        this.markerReturn = markerReturn;
    }

    /// <summary>The stack words corruptions may hit.</summary>
    protected ulong[] Targets { get; set; } = [];

    /// <summary>The stacks the targets lie on.</summary>
    protected abstract IReadOnlyList<StackInfo> TargetStacks { get; }

    /// <summary>What each corruption writes where (null: unreadable), forged pointers left out.</summary>
    public Dictionary<ulong, ulong?> Overrides(WordCorruption[] corruptions)
    {
        var overrides = new Dictionary<ulong, ulong?>();
        foreach (var c in corruptions)
        {
            ulong target = Targets[c.Target % Targets.Length];
            ulong? value = Value(c, target);
            if (!IsForgedPointer(value, target))
            {
                overrides[target] = value;
            }
        }

        return overrides;
    }

    public string Describe(WordCorruption[] corruptions) =>
        string.Join("; ", corruptions.Select(c =>
        {
            ulong target = Targets[c.Target % Targets.Length];
            ulong? value = Value(c, target);
            return IsForgedPointer(value, target)
                ? string.Create(CultureInfo.InvariantCulture, $"[{target:x}] kept (class {c.Class} drew a forged pointer)")
                : string.Create(CultureInfo.InvariantCulture, $"[{target:x}] := {(value is { } v ? $"{v:x}" : "unreadable")} (class {c.Class})");
        }));

    /// <summary>Whether <paramref name="value"/> at <paramref name="target"/> would be a valid pointer up the stack to a genuine frame or pt_regs.</summary>
    protected abstract bool IsForgedPointer(ulong? value, ulong target);

    /// <summary>The value of a class beyond the common ten (selector-like numbers unless a plan adds its own).</summary>
    protected virtual ulong ExtraValue(WordCorruption c, ulong target) =>
        c.Variant switch { 0 => 0x10, 1 => 0x33, 2 => 0x2b, _ => 3 };

    protected static IEnumerable<ulong> Words(ulong low, ulong high)
    {
        for (ulong a = low; a < high; a += 8)
        {
            yield return a;
        }
    }

    /// <summary>The value a corruption writes at <paramref name="target"/> (null: unreadable).</summary>
    private ulong? Value(WordCorruption c, ulong target)
    {
        var stack = TargetStacks.First(s => s.Contains(target));
        ulong skew = c.Variant switch { 0 => 0, 1 => 1, 2 => 4, _ => 0 };
        return c.Class switch
        {
            0 => null,
            1 => 0,
            2 => c.Random,
            3 => target - ((ulong)c.Distance * 8) + skew,
            4 => target + (skew & 1),
            5 => target + ((ulong)c.Distance * 8) + skew,
            6 => c.Variant switch { 0 => stack.Low, 1 => stack.High - 16, 2 => stack.High - 8, _ => stack.High },
            7 => target + 0x10000 - ((ulong)c.Distance * 8),
            8 => TextNotAfterCall(c),
            9 => 0x400000 + ((ulong)c.Distance * 0x10),
            _ => ExtraValue(c, target),
        };
    }

    /// <summary>Kernel text that follows no call: the pt_regs marker's return now and then, else a text address that is no call site.</summary>
    private ulong TextNotAfterCall(WordCorruption c)
    {
        if (c.Variant == 3 && markerReturn != 0)
        {
            return markerReturn;
        }

        ulong size = image.Text.End - image.Text.Start;
        for (ulong i = 0; ; i++)
        {
            ulong candidate = image.Text.Start + ((c.Random + (i * 0x9e3779b97f4a7c15)) % size);
            if (!image.CallSites.TryGetTarget(candidate, out _))
            {
                return candidate;
            }
        }
    }
}
