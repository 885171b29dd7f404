using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace EntryModel;

/// <summary>
/// The one page a reader shows walks directly: its number and its bytes, read-only. A reader that
/// keeps one (<see cref="IMemoryReader.Window"/>) shows the page of its last read there and keeps
/// it true (cleared before the page is unmapped, replaced or written elsewhere), so a walk whose
/// reads stay on that page reads it without a call to the reader, and calls the reader, which
/// decides (and moves the window), for anything else. Owned and changed by its reader only.
/// </summary>
public sealed class PageWindow
{
    public const int PageSize = 4096;

    private const int PageShift = 12;
    private const ulong NoPage = ulong.MaxValue;

    private ulong number = NoPage;
    private byte[]? bytes;

    /// <summary>The number (address / <see cref="PageSize"/>) of the page shown; null when none is.</summary>
    public ulong? PageNumber => bytes is null ? null : number;

    /// <summary>Shows the page whose number is <paramref name="pageNumber"/>, whose bytes are <paramref name="page"/> (not copied: the reader's own).</summary>
    public void Show(ulong pageNumber, byte[] page)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentOutOfRangeException.ThrowIfNotEqual(page.Length, PageSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageNumber, NoPage >> PageShift);
        bytes = page;
        number = pageNumber;
    }

    /// <summary>Shows nothing: every address is off the window.</summary>
    public void Clear()
    {
        number = NoPage;
        bytes = null;
    }

    /// <summary>
    /// The bytes from <paramref name="address"/> to the end of its page when that page is shown,
    /// else empty (ask the reader). A word that straddles the page's end is never in the span.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<byte> At(ulong address)
    {
        // number is NoPage (which no address's page number equals) whenever bytes is null.
        if (address >> PageShift != number)
        {
            return default;
        }

        int offset = (int)(address & (PageSize - 1));
        return MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(bytes!), offset), PageSize - offset);
    }

    /// <summary>
    /// The whole page shown, and its first address in <paramref name="first"/>; empty (and 0) when
    /// none is. For a walk that reads many words of one page in a loop of its own: the span stays
    /// true only until the walk next calls its reader.
    /// </summary>
    public ReadOnlySpan<byte> Page(out ulong first)
    {
        if (bytes is null)
        {
            first = 0;
            return default;
        }

        first = number << PageShift;
        return bytes;
    }

    /// <summary>The word at <paramref name="address"/> when all 8 of its bytes are on the shown page; false (ask the reader) otherwise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadUInt64(ulong address, out ulong value)
    {
        nuint offset = (nuint)(address & (PageSize - 1));
        if (address >> PageShift == number && offset <= PageSize - 8)
        {
            value = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(bytes!), offset));
            return true;
        }

        value = 0;
        return false;
    }

    /// <summary>
    /// The two words at <paramref name="address"/> (a frame record) when all 16 of their bytes are
    /// on the shown page; false (ask the reader) otherwise.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadPair(ulong address, out ulong first, out ulong second)
    {
        nuint offset = (nuint)(address & (PageSize - 1));
        if (address >> PageShift == number && offset <= PageSize - 16)
        {
            ref byte at = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(bytes!), offset);
            first = Unsafe.ReadUnaligned<ulong>(ref at);
            second = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref at, 8));
            return true;
        }

        first = 0;
        second = 0;
        return false;
    }
}
