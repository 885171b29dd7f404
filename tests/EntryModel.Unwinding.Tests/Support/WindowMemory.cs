namespace EntryModel.Unwinding.Tests.Support;

/// <summary>
/// A reader that shows walks the page of its last read (<see cref="IMemoryReader.Window"/>) over one
/// that shows none: a page whose every byte <paramref name="under"/> reads is copied once and shown
/// after a read on it; a page with any unreadable byte is never shown. Walks over it must go exactly
/// as over <paramref name="under"/>.
/// </summary>
internal sealed class WindowMemory(IMemoryReader under) : IMemoryReader
{
    private readonly PageWindow window = new();
    private readonly Dictionary<ulong, byte[]?> pages = [];

    public PageWindow Window => window;

    /// <summary>Reads that reached <paramref name="under"/> (not counting the copies of whole pages).</summary>
    public int Reads { get; private set; }

    public bool TryReadUInt64(ulong address, out ulong value)
    {
        Reads++;
        if (!under.TryReadUInt64(address, out value))
        {
            return false;
        }

        ulong page = address >> 12;
        if (!pages.TryGetValue(page, out var bytes))
        {
            bytes = new byte[PageWindow.PageSize];
            pages[page] = under.TryRead(page << 12, bytes) ? bytes : null;
            bytes = pages[page];
        }

        if (bytes is null)
        {
            window.Clear();
        }
        else
        {
            window.Show(page, bytes);
        }

        return true;
    }

    public bool TryRead(ulong address, Span<byte> destination)
    {
        Reads++;
        return under.TryRead(address, destination);
    }
}

/// <summary>A reader that hides the window of the one under it: every read is a call.</summary>
internal sealed class NoWindowMemory(IMemoryReader under) : IMemoryReader
{
    public bool TryReadUInt64(ulong address, out ulong value) => under.TryReadUInt64(address, out value);

    public bool TryRead(ulong address, Span<byte> destination) => under.TryRead(address, destination);
}
