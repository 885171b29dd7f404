using EntryModel.Machine.Memory;

namespace EntryModel.Machine.Tests.Memory;

/// <summary>
/// <see cref="GuestMemory.EnumerateMappedPages"/>, what a core dump writes: every mapped page once,
/// lowest address first (user half before the kernel half), at its canonical address with its
/// permissions, and as the tree is now (unmapped pages gone, a restore's mappings back).
/// </summary>
public class MappedPageEnumerationTests
{
    [Test]
    public void Every_mapped_page_comes_once_lowest_first_at_its_canonical_address_with_its_permissions()
    {
        var memory = new GuestMemory();
        memory.Map(0xffffffff81000000, 2 * GuestMemory.PageSize, PagePermissions.Executable);
        memory.Map(0x400000, GuestMemory.PageSize, PagePermissions.Executable | PagePermissions.User);
        memory.Map(0x00007ffffffff000, GuestMemory.PageSize, PagePermissions.Writable | PagePermissions.User);
        memory.Map(0xffffc90000001000, GuestMemory.PageSize, PagePermissions.Writable);
        memory.Map(0xfffffffffffff000, GuestMemory.PageSize, PagePermissions.None);

        Assert.That(memory.EnumerateMappedPages(), Is.EqualTo(new[]
        {
            (0x400000UL, PagePermissions.Executable | PagePermissions.User),
            (0x00007ffffffff000UL, PagePermissions.Writable | PagePermissions.User),
            (0xffffc90000001000UL, PagePermissions.Writable),
            (0xffffffff81000000UL, PagePermissions.Executable),
            (0xffffffff81001000UL, PagePermissions.Executable),
            (0xfffffffffffff000UL, PagePermissions.None),
        }));
        Assert.That(memory.EnumerateMappedPages().Count(), Is.EqualTo(memory.MappedPages));
    }

    [Test]
    public void The_enumeration_follows_unmaps_and_restores()
    {
        var memory = new GuestMemory();
        memory.Map(0xffffffff81000000, 2 * GuestMemory.PageSize, PagePermissions.Writable);
        var snapshot = memory.Snapshot();
        memory.Unmap(0xffffffff81000000, GuestMemory.PageSize);

        Assert.That(memory.EnumerateMappedPages().Select(p => p.Address), Is.EqualTo(new[] { 0xffffffff81001000UL }));
        memory.Restore(snapshot);
        Assert.That(memory.EnumerateMappedPages().Select(p => p.Address), Is.EqualTo(new[] { 0xffffffff81000000UL, 0xffffffff81001000UL }));
    }
}
