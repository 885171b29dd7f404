using EntryModel.Machine.Memory;

namespace EntryModel.Machine.Tests.Memory;

/// <summary>
/// The page a reader shows walks (<see cref="PageWindow"/>), alone and as <see cref="GuestMemory"/>
/// keeps it: reads only whole words and records on the shown page, never across its end, and the
/// memory's window follows its host reads and never shows a page that was unmapped or replaced.
/// </summary>
public class PageWindowTests
{
    private const ulong Page = 0xffffc90000020000;
    private const ulong Next = Page + GuestMemory.PageSize;

    /// <summary>The last page of the canonical upper half: its page number is the largest there is.</summary>
    private const ulong TopPage = 0xfffffffffffff000;

    /// <summary>The last page of the canonical lower half.</summary>
    private const ulong UserTopPage = 0x00007ffffffff000;

    [Test]
    public void An_empty_window_shows_nothing()
    {
        var window = new PageWindow();
        Assert.That(window.PageNumber, Is.Null);
        Assert.That(window.At(0).Length, Is.Zero);
        Assert.That(window.At(ulong.MaxValue).Length, Is.Zero, "no address's page number is the empty window's");
        Assert.That(window.TryReadUInt64(0, out _), Is.False);
        Assert.That(window.TryReadPair(TopPage, out _, out _), Is.False);
    }

    [Test]
    public void A_shown_page_is_read_to_its_last_whole_word_and_record_and_no_further()
    {
        var bytes = Numbered();
        var window = new PageWindow();
        window.Show(Page >> 12, bytes);

        Assert.That(window.PageNumber, Is.EqualTo(Page >> 12));
        Assert.That(window.At(Page).Length, Is.EqualTo(PageWindow.PageSize));
        Assert.That(window.At(Page + 0xff8).Length, Is.EqualTo(8));
        Assert.That(window.At(Page + 0xfff).ToArray(), Is.EqualTo(new byte[] { 0xff }), "the page's last byte");
        Assert.That(window.At(Next).Length, Is.Zero, "the next page is not shown");
        Assert.That(window.At(Page - 1).Length, Is.Zero, "nor the one before");

        Assert.That(window.TryReadUInt64(Page + 0xff8, out ulong last), Is.True);
        Assert.That(last, Is.EqualTo(BitConverter.ToUInt64(bytes, 0xff8)));
        Assert.That(window.TryReadUInt64(Page + 0xff9, out _), Is.False, "a word across the page's end is the reader's to read");
        Assert.That(window.TryReadUInt64(Page + 3, out ulong unaligned), Is.True);
        Assert.That(unaligned, Is.EqualTo(BitConverter.ToUInt64(bytes, 3)));

        Assert.That(window.TryReadPair(Page + 0xff0, out ulong first, out ulong second), Is.True, "the page's last record");
        Assert.That((first, second), Is.EqualTo((BitConverter.ToUInt64(bytes, 0xff0), BitConverter.ToUInt64(bytes, 0xff8))));
        Assert.That(window.TryReadPair(Page + 0xff1, out _, out _), Is.False);
        Assert.That(window.TryReadPair(Page + 0xff8, out _, out _), Is.False, "a record whose second word is on the next page");
        Assert.That(window.TryReadPair(Next, out _, out _), Is.False);

        window.Clear();
        Assert.That(window.PageNumber, Is.Null);
        Assert.That(window.TryReadUInt64(Page, out _), Is.False);
    }

    [Test]
    public void The_last_page_of_the_address_space_can_be_shown_and_nothing_past_it_wraps_around()
    {
        var window = new PageWindow();
        window.Show(TopPage >> 12, Numbered());
        Assert.That(window.At(ulong.MaxValue).Length, Is.EqualTo(1));
        Assert.That(window.TryReadUInt64(ulong.MaxValue - 7, out _), Is.True);
        Assert.That(window.TryReadUInt64(ulong.MaxValue - 6, out _), Is.False);
        Assert.That(window.TryReadPair(ulong.MaxValue - 15, out _, out _), Is.True);
        Assert.That(window.TryReadPair(ulong.MaxValue - 7, out _, out _), Is.False);
        Assert.That(window.At(0).Length, Is.Zero, "address 0 is not past the top page");
    }

    [Test]
    public void Show_takes_only_a_whole_page_and_a_page_number()
    {
        var window = new PageWindow();
        Assert.Throws<ArgumentOutOfRangeException>(() => window.Show(1, new byte[8]));
        Assert.Throws<ArgumentNullException>(() => window.Show(1, null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => window.Show(ulong.MaxValue, new byte[PageWindow.PageSize]));
        Assert.That(window.PageNumber, Is.Null);
    }

    [Test]
    public void Guest_memory_shows_the_page_of_its_last_host_read_as_that_read_sees_it()
    {
        var memory = new GuestMemory();
        IMemoryReader reader = memory;
        Assert.That(reader.Window, Is.SameAs(memory.Window));
        memory.Map(Page, 2 * GuestMemory.PageSize, PagePermissions.Writable);
        memory.WriteUInt64(Page + 0xff0, 0x1111);
        memory.WriteUInt64(Page + 0xff8, 0x2222);
        memory.WriteUInt64(Next, 0x3333);
        Assert.That(memory.Window.PageNumber, Is.Null, "no host read yet");

        Assert.That(memory.TryReadUInt64(Page + 0xff0, out _), Is.True);
        Assert.That(memory.Window.PageNumber, Is.EqualTo(Page >> 12));
        Assert.That(memory.Window.TryReadPair(Page + 0xff0, out ulong bp, out ulong ret), Is.True);
        Assert.That((bp, ret), Is.EqualTo((0x1111UL, 0x2222UL)));

        memory.WriteUInt64(Page + 0xff0, 0x4444);
        Assert.That(memory.Window.TryReadUInt64(Page + 0xff0, out ulong written) ? written : 0, Is.EqualTo(0x4444UL), "a host write to the shown page");

        Assert.That(memory.TryReadUInt64(Page + 0xffc, out ulong across), Is.True, "a read across the page's end");
        Assert.That(across, Is.EqualTo((0x2222UL >> 32) | (0x3333UL << 32)));
        Assert.That(memory.TryReadUInt64(Next, out _), Is.True);
        Assert.That(memory.Window.PageNumber, Is.EqualTo(Next >> 12), "the window follows the reads");
    }

    [Test]
    public void Guest_memory_never_shows_a_page_that_was_copied_restored_or_unmapped()
    {
        var memory = new GuestMemory();
        memory.Map(Page, GuestMemory.PageSize, PagePermissions.Writable);
        memory.WriteUInt64(Page, 1);
        var snapshot = memory.Snapshot();
        Assert.That(memory.TryReadUInt64(Page, out _), Is.True);

        memory.WriteUInt64(Page, 2); // copy-on-write: the shown bytes are the snapshot's now
        Assert.That(ShownOrReread(memory, Page), Is.EqualTo(2UL));

        memory.Restore(snapshot);
        Assert.That(ShownOrReread(memory, Page), Is.EqualTo(1UL));

        Assert.That(memory.TryReadUInt64(Page, out _), Is.True);
        memory.Unmap(Page, GuestMemory.PageSize);
        Assert.That(memory.Window.TryReadUInt64(Page, out _), Is.False, "unmapped: not shown");
        Assert.That(memory.TryReadUInt64(Page, out _), Is.False);
        Assert.That(memory.Window.PageNumber, Is.Null, "a failed read shows nothing new");

        memory.Map(Page, GuestMemory.PageSize, PagePermissions.Writable);
        Assert.That(ShownOrReread(memory, Page), Is.Zero, "remapped: a new, zeroed page");
    }

    [Test]
    public void Guest_memory_shows_the_last_pages_of_both_canonical_halves_and_no_unmapped_neighbour()
    {
        var memory = new GuestMemory();
        memory.Map(TopPage, GuestMemory.PageSize, PagePermissions.Writable); // up to 2^64 exactly
        memory.Map(UserTopPage, GuestMemory.PageSize, PagePermissions.Writable | PagePermissions.User);
        memory.WriteUInt64(TopPage + 0xff8, 0xaa);
        memory.WriteUInt64(UserTopPage + 0xff8, 0xbb);

        Assert.That(memory.TryReadUInt64(TopPage + 0xff8, out ulong top) ? top : 0, Is.EqualTo(0xaaUL));
        Assert.That(memory.Window.PageNumber, Is.EqualTo(TopPage >> 12));
        Assert.That(memory.Window.At(TopPage + 0xff8).Length, Is.EqualTo(8));
        Assert.That(memory.TryReadUInt64(TopPage - 8, out _), Is.False, "the page below is unmapped");
        Assert.That(memory.Window.PageNumber, Is.EqualTo(TopPage >> 12), "still the last page read");

        Assert.That(memory.TryReadUInt64(UserTopPage + 0xff8, out ulong user) ? user : 0, Is.EqualTo(0xbbUL));
        Assert.That(memory.Window.PageNumber, Is.EqualTo(UserTopPage >> 12));
        Assert.That(memory.TryReadUInt64(UserTopPage + 0xffc, out _), Is.False, "across the end of the lower half: not canonical");
        Assert.That(memory.Window.TryReadPair(UserTopPage + 0xff8, out _, out _), Is.False);
    }

    private static byte[] Numbered()
    {
        var bytes = new byte[PageWindow.PageSize];
        for (int i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)i;
        }

        return bytes;
    }

    /// <summary>The word as the window shows it when it shows its page, else as a host read gives it (which shows the page).</summary>
    private static ulong ShownOrReread(GuestMemory memory, ulong address)
    {
        if (memory.Window.TryReadUInt64(address, out ulong shown))
        {
            Assert.That(memory.TryReadUInt64(address, out ulong read) ? read : ~0UL, Is.EqualTo(shown), "the window shows what the memory reads");
            return shown;
        }

        Assert.That(memory.TryReadUInt64(address, out ulong value), Is.True);
        Assert.That(memory.Window.TryReadUInt64(address, out ulong after) ? after : ~0UL, Is.EqualTo(value));
        return value;
    }
}
