using EntryModel.Unwinding.Image;
using EntryModel.Unwinding.Tests.Support;
using static EntryModel.Unwinding.Tests.Support.SyntheticKernel;

namespace EntryModel.Unwinding.Tests.Image;

/// <summary>Call sites are decoded from the line map's instructions, not from raw bytes.</summary>
public sealed class CallSitesTests
{
    private static readonly CallSites Sites = SyntheticKernel.Unwind.CallSites;

    [Test]
    public void Every_call_the_line_map_records_is_found_with_its_direct_target_or_as_indirect()
    {
        var found = CallsWithLines.Keys.ToDictionary(ret => ret, ret => Sites.TryGetTarget(ret, out ulong target) ? target : ulong.MaxValue);

        Assert.That(found, Is.EquivalentTo(CallsWithLines));
        Assert.That(Sites.Count, Is.EqualTo(CallsWithLines.Count));
    }

    [Test]
    public void An_indirect_call_has_the_indirect_target()
    {
        Assert.That(Sites.TryGetTarget(MiddleIndirectRet, out ulong target), Is.True);
        Assert.That(target, Is.EqualTo(CallSites.Indirect));
    }

    [Test]
    public void A_call_whose_line_map_entry_has_the_wrong_length_is_not_a_call_site()
    {
        Assert.That(Sites.TryGetTarget(OuterMislinedCallRet, out _), Is.False);
    }

    [Test]
    public void A_call_with_no_line_map_entry_is_not_a_call_site()
    {
        Assert.That(Sites.TryGetTarget(OuterUnlinedCallRet, out _), Is.False);
    }

    [Test]
    public void Addresses_that_follow_no_call_are_not_call_sites()
    {
        Assert.That(new[] { InnerFault, Leaf, PtRegsMarkerRet, Inner + 4 }.Where(a => Sites.TryGetTarget(a, out _)), Is.Empty);
    }
}
