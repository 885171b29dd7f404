using System;
using System.Collections.Generic;
using System.Linq;

namespace EntryModel.Generators.Encoding;

/// <summary>
/// Gives fragments addresses: fixed ones where declared; the others in order from their section's
/// base, aligned, stepping around fixed ones; declarations' own bodies before what they pushed into
/// other sections. Used for provisional addresses in an object and final ones when linking.
/// </summary>
internal static class Placement
{
    /// <summary>A fragment to place: section, fixed address (or null), alignment, extent.</summary>
    internal interface IPlaceable
    {
        string Section { get; }

        ulong? Fixed { get; }

        int Align { get; }

        long Extent { get; }

        bool IsMain { get; }

        ulong Address { set; }
    }

    public static void Place(IEnumerable<IPlaceable> fragments, SectionMap sections)
    {
        foreach (var group in fragments.GroupBy(f => f.Section))
        {
            ulong cursor = sections.Base(group.Key);
            var fixedOnes = group.Where(f => f.Fixed.HasValue).OrderBy(f => f.Fixed!.Value).ToList();
            foreach (var f in fixedOnes)
            {
                f.Address = f.Fixed!.Value;
            }

            foreach (var f in group.Where(f => !f.Fixed.HasValue).OrderBy(f => f.IsMain ? 0 : 1))
            {
                ulong align = (ulong)Math.Max(1, f.Align);
                ulong addr = AlignUp(cursor, align);
                ulong extent = (ulong)Math.Max(0, f.Extent);
                bool moved = true;
                while (moved)
                {
                    moved = false;
                    foreach (var fx in fixedOnes)
                    {
                        ulong fxEnd = fx.Fixed!.Value + (ulong)Math.Max(0, fx.Extent);
                        if (addr < fxEnd && fx.Fixed.Value < addr + Math.Max(1UL, extent))
                        {
                            addr = AlignUp(fxEnd, align);
                            moved = true;
                        }
                    }
                }

                f.Address = addr;
                cursor = addr + extent;
            }
        }
    }

    private static ulong AlignUp(ulong v, ulong a) => (v + a - 1) & ~(a - 1);
}
