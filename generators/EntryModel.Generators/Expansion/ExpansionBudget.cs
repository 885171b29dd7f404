using System;
using System.Collections.Generic;
using EntryModel.Generators.Diagnostics;
using EntryModel.Generators.Encoding;
using EntryModel.Generators.Syntax;

namespace EntryModel.Generators.Expansion;

/// <summary>
/// What one declaration has spent of its <see cref="ExpansionLimits"/>. Statements are charged a
/// block at a time before they run (a declaration, a macro body, one repetition), so a runaway
/// expansion stops before it piles up work; bytes are charged as items are added, before the
/// object builder allocates them. Once spent, the expander stops and the budget is reported once.
/// </summary>
internal sealed class ExpansionBudget
{
    private readonly Dictionary<Fragment, int> charged = new Dictionary<Fragment, int>();
    private long statements;
    private long bytes;

    public ExpansionBudget(ExpansionLimits limits) => Limits = limits;

    public ExpansionLimits Limits { get; }

    /// <summary>A limit was reached: expansion stops.</summary>
    public bool Exhausted { get; private set; }

    /// <summary>Marks the budget spent by something found after expansion (an <c>.org</c> far ahead).</summary>
    public void Overspend() => Exhausted = true;

    /// <summary>Stops expansion for a problem already reported (runaway recursion): no budget diagnostic.</summary>
    public void Abandon()
    {
        Exhausted = true;
        Reported = true;
    }

    /// <summary>The diagnostic was given (one per declaration is enough).</summary>
    public bool Reported { get; set; }

    /// <summary>
    /// Charges a block of <paramref name="count"/> statements about to run; returns how many of them
    /// fit (all of them, or the index of the first one past the budget). An empty block costs one, so
    /// nested repeats of nothing are bounded too.
    /// </summary>
    public int Expand(int count)
    {
        if (Exhausted)
        {
            return 0;
        }

        long left = Limits.MaxExpandedStatements - statements;
        statements += Math.Max(count, 1);
        if (statements <= Limits.MaxExpandedStatements)
        {
            return count;
        }

        Exhausted = true;
        return (int)Math.Max(0, Math.Min(left, count));
    }

    /// <summary>
    /// Charges the items added to <paramref name="fragment"/> since the last call; the item that
    /// overspends, or null. Every statement that adds items passes here with the fragment it added
    /// to (a statement adds only to the current one), so nothing goes uncharged.
    /// </summary>
    public Item? Emit(Fragment? fragment)
    {
        if (fragment is { } f)
        {
            charged.TryGetValue(f, out int from);
            for (int i = from; i < f.Items.Count; i++)
            {
                // Data, strings and fills know their size now; instructions, alignments and .org are counted after layout.
                bytes += Math.Max(0, f.Items[i].Size);
                if (bytes > Limits.MaxEmittedBytes)
                {
                    charged[f] = f.Items.Count;
                    Exhausted = true;
                    return f.Items[i];
                }
            }

            charged[f] = f.Items.Count;
        }

        return null;
    }

    /// <summary>
    /// Whether a laid-out declaration is larger than the byte budget (padding to a fixed size
    /// counts); <paramref name="at"/> is the item whose end lies past it, when one does.
    /// </summary>
    public bool Overspent(IReadOnlyList<Fragment> fragments, out Item? at)
    {
        at = null;
        long total = 0;
        foreach (var f in fragments)
        {
            if (total + f.Extent > Limits.MaxEmittedBytes)
            {
                foreach (var item in f.Items)
                {
                    if (total + item.Offset + item.Size > Limits.MaxEmittedBytes)
                    {
                        at = item;
                        break;
                    }
                }

                return true;
            }

            total += f.Extent;
        }

        return false;
    }

    public SyntaxException StatementsSpent() => new SyntaxException(
        DiagnosticIds.StatementBudgetExceeded,
        $"this declaration expands to more than {Limits.MaxExpandedStatements} statements (macros, .rept and .irp counted): a runaway expansion? "
        + $"If it is meant, raise the budget with the MSBuild property {ExpansionLimits.StatementsProperty} (made visible to the generator with <CompilerVisibleProperty Include=\"{ExpansionLimits.StatementsProperty}\" />)",
        -1,
        0);

    public SyntaxException BytesSpent() => new SyntaxException(
        DiagnosticIds.ByteBudgetExceeded,
        $"this declaration emits more than {Limits.MaxEmittedBytes} bytes, its emitted-bytes budget; "
        + $"if that is meant, raise the budget with the MSBuild property {ExpansionLimits.BytesProperty} (made visible to the generator with <CompilerVisibleProperty Include=\"{ExpansionLimits.BytesProperty}\" />)",
        -1,
        0);
}
