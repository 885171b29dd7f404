using System;
using System.Collections.Generic;

namespace EntryModel.Generators.Validation;

/// <summary>The one search validation and its diagnostics make over lists sorted by address.</summary>
internal static class Sorted
{
    /// <summary>The index of the last item whose key is at or below <paramref name="key"/>, or -1.</summary>
    public static int LastAtOrBelow<T>(IReadOnlyList<T> items, ulong key, Func<T, ulong> keyOf)
    {
        int lo = 0, hi = items.Count - 1, found = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >> 1;
            if (keyOf(items[mid]) <= key)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return found;
    }
}
