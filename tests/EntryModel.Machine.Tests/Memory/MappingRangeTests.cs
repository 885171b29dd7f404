using EntryModel.Machine.Memory;

namespace EntryModel.Machine.Tests.Memory;

/// <summary>
/// Ranges given to Map, Unmap and Protect at the top of the address space: a range may end exactly
/// at 2^64; one that would run past it is refused. Found when mapping the last page walked on from
/// page 0 and mapped everything until the process died.
/// </summary>
public class MappingRangeTests
{
    private const ulong TopPage = 0xfffffffffffff000;

    [Test]
    public void Mapping_the_last_page_maps_it_and_nothing_at_the_bottom()
    {
        var memory = new GuestMemory();
        memory.Map(TopPage, GuestMemory.PageSize, PagePermissions.Writable);
        memory.WriteUInt64(TopPage + 0xff8, 7);

        Assert.That(memory.TryReadUInt64(TopPage + 0xff8, out ulong value) ? value : 0, Is.EqualTo(7UL));
        Assert.That(memory.TryReadUInt64(0, out _), Is.False, "page 0 stays unmapped");
        Assert.That(memory.TryReadUInt64(TopPage - 8, out _), Is.False);

        memory.Protect(TopPage, GuestMemory.PageSize, PagePermissions.None);
        memory.Unmap(TopPage, GuestMemory.PageSize);
        Assert.That(memory.TryReadUInt64(TopPage + 0xff8, out _), Is.False);
    }

    [Test]
    public void A_range_running_past_the_top_of_the_address_space_is_refused()
    {
        var memory = new GuestMemory();
        Assert.Throws<ArgumentOutOfRangeException>(() => memory.Map(TopPage, 2 * GuestMemory.PageSize, PagePermissions.Writable));
        Assert.Throws<ArgumentOutOfRangeException>(() => memory.Unmap(TopPage + 8, GuestMemory.PageSize));
        Assert.That(memory.TryReadUInt64(0, out _), Is.False);
    }

    [Test]
    public void An_empty_range_maps_nothing()
    {
        var memory = new GuestMemory();
        memory.Map(0x400000, 0, PagePermissions.Writable);
        Assert.That(memory.TryReadUInt64(0x400000, out _), Is.False);
    }
}
