using System.Text;
using EntryModel.Scenarios.Judging;

namespace EntryModel.Analysis.Sweep;

/// <summary>
/// Stacks in the folded format flame-graph tools read (<c>outer;...;inner count</c>): each frame is
/// the function it was in (a return address counts as the call before it, as %pB does), the
/// outermost first; a return to user mode ends it as <c>[user]</c>.
/// </summary>
public static class FoldedStacks
{
    public static string Fold(ReadOnlySpan<ExpectedFrame> innermostFirst, SymbolTable symbols)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        var names = new List<string>(innermostFirst.Length);
        foreach (var frame in innermostFirst)
        {
            if (frame.UserMode)
            {
                names.Add("[user]");
                break;
            }

            ulong at = frame.Boundary ? frame.Ip : frame.Ip - 1;
            names.Add(symbols.TryLookup(at, out var symbol, out _) ? symbol.Name : "[unknown]");
        }

        var text = new StringBuilder();
        for (int i = names.Count - 1; i >= 0; i--)
        {
            text.Append(names[i]);
            if (i > 0)
            {
                text.Append(';');
            }
        }

        return text.ToString();
    }

    /// <summary>The folded file: one line per distinct stack, sorted, with its count.</summary>
    public static string Write(IReadOnlyDictionary<string, long> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var text = new StringBuilder();
        foreach (var (stack, count) in counts.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append(stack.Length == 0 ? "[empty]" : stack).Append(' ').Append(count).Append('\n');
        }

        return text.ToString();
    }
}
