using System.Runtime.InteropServices;
using EntryModel.Scenarios.Judging;
using EntryModel.Unwinding;

namespace EntryModel.Analysis.Sweep;

/// <summary>
/// <see cref="FoldedStacks.Fold"/> remembered by the functions a stack names: an NMI sweep folds
/// every unwinder's sample and the true one at every point, and a run has few distinct stacks, so
/// each is put into words once per worker; the rest is a symbol lookup per frame and a hash.
/// </summary>
internal sealed class FoldedStackCache(SymbolTable symbols)
{
    // What a frame folds to: the function's address and size (two symbols may start at one address
    // and differ in size; the lookup picks by both), or one of these pairs.
    private const ulong UserMode = ulong.MaxValue;
    private const ulong Unknown = ulong.MaxValue - 1;

    private readonly Dictionary<Path, string> known = new(PathComparer.Instance);
    private ulong[] path = new ulong[64];

    /// <summary>The folded form of the frames, innermost first, as <see cref="FoldedStacks.Fold"/> writes it.</summary>
    public string Fold(ReadOnlySpan<ExpectedFrame> innermostFirst)
    {
        int length = 0;
        foreach (var frame in innermostFirst)
        {
            if (Add(frame, ref length))
            {
                break;
            }
        }

        return Known(length) ?? Remember(length, FoldedStacks.Fold(innermostFirst, symbols));
    }

    /// <summary>The folded form of a walk's reported frames (all but a running start's own position).</summary>
    public string Fold(List<UnwindFrame> frames)
    {
        int length = 0;
        foreach (var frame in CollectionsMarshal.AsSpan(frames))
        {
            if (frame.Kind != UnwindFrameKind.Current && Add(ExpectedFrame.Of(frame), ref length))
            {
                break;
            }
        }

        return Known(length) ?? Remember(length, FoldedStacks.Fold(StackJudge.Reported(frames), symbols));
    }

    /// <summary>Adds the frame's function to the path; true when it ends the stack (user mode).</summary>
    private bool Add(in ExpectedFrame frame, ref int length)
    {
        if (length + 2 > path.Length)
        {
            Array.Resize(ref path, path.Length * 2);
        }

        if (frame.UserMode)
        {
            path[length++] = UserMode;
            path[length++] = UserMode;
            return true;
        }

        // A return address counts as the call before it, as the folded text names it.
        ulong at = frame.Boundary ? frame.Ip : frame.Ip - 1;
        bool known = symbols.TryLookup(at, out var symbol, out _);
        path[length++] = known ? symbol.Address : Unknown;
        path[length++] = known ? symbol.Size : Unknown;
        return false;
    }

    private string? Known(int length) => known.TryGetValue(new Path(path, length), out string? folded) ? folded : null;

    private string Remember(int length, string folded)
    {
        known[new Path(path[..length], length)] = folded;
        return folded;
    }

    /// <summary>The first <see cref="Length"/> entries of <see cref="Functions"/>: the lookup key borrows the worker's buffer, a stored key owns a copy.</summary>
    private readonly record struct Path(ulong[] Functions, int Length)
    {
        public ReadOnlySpan<ulong> Span => Functions.AsSpan(0, Length);
    }

    private sealed class PathComparer : IEqualityComparer<Path>
    {
        public static readonly PathComparer Instance = new();

        public bool Equals(Path x, Path y) => x.Span.SequenceEqual(y.Span);

        public int GetHashCode(Path obj)
        {
            var hash = default(HashCode);
            hash.AddBytes(MemoryMarshal.AsBytes(obj.Span));
            return hash.ToHashCode();
        }
    }
}
