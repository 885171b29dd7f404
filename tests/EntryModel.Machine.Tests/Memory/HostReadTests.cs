using EntryModel.Machine.Memory;

namespace EntryModel.Machine.Tests.Memory;

/// <summary>
/// Host reads (what unwinders use) go through a TLB of their own; it must never return a page's
/// stale frame: after copy-on-write, restore, unmap, remap. Freeze gives a view later writes leave alone.
/// </summary>
public class HostReadTests
{
    private const ulong Page = 0xffffc90000010000;

    [Test]
    public void Host_read_sees_a_write_made_after_a_snapshot_copied_the_page()
    {
        var memory = new GuestMemory();
        memory.Map(Page, GuestMemory.PageSize, PagePermissions.Writable);
        memory.WriteUInt64(Page + 8, 1);
        Assert.That(memory.TryReadUInt64(Page + 8, out ulong before) ? before : 0, Is.EqualTo(1UL), "fills the host TLB");

        var snapshot = memory.Snapshot();
        memory.WriteUInt64(Page + 8, 2); // copies the page: the cached frame is the snapshot's now

        Assert.That(memory.TryReadUInt64(Page + 8, out ulong after) ? after : 0, Is.EqualTo(2UL));
        memory.Restore(snapshot);
        Assert.That(memory.TryReadUInt64(Page + 8, out ulong restored) ? restored : 0, Is.EqualTo(1UL));
    }

    [Test]
    public void Host_read_fails_after_unmap_and_sees_zeroes_after_remap()
    {
        var memory = new GuestMemory();
        memory.Map(Page, GuestMemory.PageSize, PagePermissions.Writable);
        memory.WriteUInt64(Page, 0x1234);
        Assert.That(memory.TryReadUInt64(Page, out _), Is.True);

        memory.Unmap(Page, GuestMemory.PageSize);
        Assert.That(memory.TryReadUInt64(Page, out ulong unmapped), Is.False);
        Assert.That(unmapped, Is.Zero);

        memory.Map(Page, GuestMemory.PageSize, PagePermissions.Writable);
        Assert.That(memory.TryReadUInt64(Page, out ulong remapped) ? remapped : 1, Is.Zero);
    }

    [Test]
    public void A_read_across_a_page_end_takes_both_pages()
    {
        var memory = new GuestMemory();
        memory.Map(Page, 2 * GuestMemory.PageSize, PagePermissions.Writable);
        memory.Write(Page + GuestMemory.PageSize - 4, [1, 2, 3, 4, 5, 6, 7, 8]);

        Assert.That(memory.TryReadUInt64(Page + GuestMemory.PageSize - 4, out ulong value), Is.True);
        Assert.That(value, Is.EqualTo(0x0807060504030201UL));
        memory.Unmap(Page + GuestMemory.PageSize, GuestMemory.PageSize);
        Assert.That(memory.TryReadUInt64(Page + GuestMemory.PageSize - 4, out _), Is.False);
    }

    [Test]
    public void A_frozen_view_keeps_the_contents_of_its_moment()
    {
        var memory = new GuestMemory();
        memory.Map(Page, GuestMemory.PageSize, PagePermissions.Writable);
        memory.WriteUInt64(Page + 16, 7);

        var frozen = memory.Freeze();
        memory.WriteUInt64(Page + 16, 8);
        memory.Unmap(Page, GuestMemory.PageSize);
        Span<byte> bytes = stackalloc byte[8];

        Assert.That(frozen.TryReadUInt64(Page + 16, out ulong value) ? value : 0, Is.EqualTo(7UL));
        Assert.That(frozen.TryRead(Page + 16, bytes), Is.True);
        Assert.That(bytes[0], Is.EqualTo(7));
        Assert.That(frozen.TryReadUInt64(Page + GuestMemory.PageSize, out _), Is.False, "what was unmapped then stays unreadable");
        Assert.That(memory.TryReadUInt64(Page + 16, out _), Is.False);
    }
}
