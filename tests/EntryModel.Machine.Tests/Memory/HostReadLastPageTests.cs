using EntryModel.Machine.Memory;

namespace EntryModel.Machine.Tests.Memory;

/// <summary>
/// The host's 8-byte read (what unwinders use) keeps the last page it read and a host TLB: each read
/// must still see every write, copy-on-write copy, restore, unmap and remap.
/// </summary>
public class HostReadLastPageTests
{
    private const ulong Page = 0xffffc90000001000;
    private const ulong Next = Page + GuestMemory.PageSize;

    [Test]
    public void Host_reads_see_writes_copies_and_restores()
    {
        var memory = new GuestMemory();
        memory.Map(Page, 2 * GuestMemory.PageSize, PagePermissions.Writable);
        memory.WriteUInt64(Page + 8, 1);
        Assert.That(Read(memory, Page + 8), Is.EqualTo(1UL));
        Assert.That(Read(memory, Page + 8), Is.EqualTo(1UL), "again, from the last page read");

        var first = memory.Snapshot();
        memory.WriteUInt64(Page + 8, 2);
        Assert.That(Read(memory, Page + 8), Is.EqualTo(2UL), "a write after a snapshot copies the page");

        memory.Restore(first);
        Assert.That(Read(memory, Page + 8), Is.EqualTo(1UL), "restored: the copy is gone");

        memory.WriteUInt64(Page + 8, 3);
        var second = memory.Snapshot();
        memory.WriteUInt64(Page + 8, 4);
        Assert.That(Read(memory, Page + 8), Is.EqualTo(4UL));
        memory.Restore(first);
        Assert.That(Read(memory, Page + 8), Is.EqualTo(1UL), "an older snapshot than the last one");
        memory.Restore(second);
        Assert.That(Read(memory, Page + 8), Is.EqualTo(3UL));
    }

    [Test]
    public void Host_reads_alternate_pages_cross_pages_and_see_unmap_and_remap()
    {
        var memory = new GuestMemory();
        memory.Map(Page, 2 * GuestMemory.PageSize, PagePermissions.Writable);
        memory.WriteUInt64(Page, 0x11);
        memory.WriteUInt64(Next + 8, 0x22);
        memory.WriteUInt64(Page + GuestMemory.PageSize - 4, 0x4433221100ffeedd);
        for (int i = 0; i < 3; i++)
        {
            Assert.That(Read(memory, Page), Is.EqualTo(0x11UL));
            Assert.That(Read(memory, Next + 8), Is.EqualTo(0x22UL));
        }

        Assert.That(Read(memory, Page + GuestMemory.PageSize - 4), Is.EqualTo(0x4433221100ffeeddUL), "a read across the page boundary");

        memory.Unmap(Page, GuestMemory.PageSize);
        Assert.That(memory.TryReadUInt64(Page, out _), Is.False, "unmapped after being the last page read");
        Assert.That(Read(memory, Next + 8), Is.EqualTo(0x22UL));

        memory.Map(Page, GuestMemory.PageSize, PagePermissions.Writable);
        Assert.That(Read(memory, Page), Is.EqualTo(0UL), "remapped: a new, zeroed page");
        memory.Protect(Page, GuestMemory.PageSize, PagePermissions.None);
        memory.Write(Page, BitConverter.GetBytes(0x33UL));
        Assert.That(Read(memory, Page), Is.EqualTo(0x33UL), "host reads ignore permissions and see host writes");
    }

    private static ulong Read(GuestMemory memory, ulong address)
    {
        Assert.That(memory.TryReadUInt64(address, out ulong value), Is.True, $"0x{address:x} reads");
        return value;
    }
}
