using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EntryModel.Machine.Decoding;

namespace EntryModel.Machine.Memory;

/// <summary>
/// The machine's sparse virtual memory: 4 KiB pages with present/writable/user/executable bits,
/// held in a copy-on-write radix tree so that <see cref="Snapshot"/> copies nothing (it only forgets
/// which pages this epoch copied). Guest accesses go
/// through a direct-mapped software TLB per privilege level (no tree walk, no dictionary) and
/// report page faults with the architectural error code; host accesses ignore permissions.
/// </summary>
public sealed class GuestMemory : IMemoryReader
{
    public const int PageSize = 4096;
    public const ulong PageMask = PageSize - 1;
    private const int TlbSize = 256;
    private const ulong VpnMask = (1UL << 36) - 1;

    private readonly TlbEntry[] kernelRead = NewTlb();
    private readonly TlbEntry[] kernelWrite = NewTlb();
    private readonly TlbEntry[] userRead = NewTlb();
    private readonly TlbEntry[] userWrite = NewTlb();

    // Host reads (unwinders, printers): a TLB of their own, kept exactly as the guest read TLBs are,
    // and the page the last host read used, shown to walks (cleared with its TLB entry).
    private readonly TlbEntry[] hostRead = NewTlb();
    private readonly PageWindow hostLast = new();
    private TlbEntry[] readTlb;
    private TlbEntry[] writeTlb;
    private readonly List<Page> epochPages = [];

    // Copies (of this epoch) written since the last snapshot or restore, and that restore's number:
    // a restore to the epoch's own snapshot puts back only their bytes, keeping the copies, the
    // tree and every TLB entry (see Restore).
    private readonly List<Page> written = [];
    private int generation;
    private PageDirectory epochBase;
    private bool structuralChange;
    private readonly Stack<byte[]> freeFrames = new();

    // Directories made since the last snapshot or full restore (path copies and new ones) belong to
    // no snapshot either, and are reused as pages are when a full restore drops the live tree.
    private readonly List<PageDirectory> epochDirectories = [];
    private readonly Stack<PageDirectory> freeUpper = new();
    private readonly Stack<PageDirectory> freeLast = new();

    // The write-TLB slots filled since the write TLBs were last cleared: a snapshot or restore
    // clears those few rather than every slot (past WriteSlotsTracked of them, all).
    private const int WriteSlotsTracked = 64;
    private readonly int[] writeSlots = new int[WriteSlotsTracked];
    private int writeSlotCount;
    private PageDirectory root;
    private int epoch;
    private bool userMode;

    internal MemoryFault LastFault;

    public GuestMemory()
    {
        root = PageDirectory.Upper(0);
        epochBase = root;
        readTlb = kernelRead;
        writeTlb = kernelWrite;
    }

    /// <summary>Raised (rarely) when mappings change: map, unmap, protect, or a restore that cannot keep the translations.</summary>
    internal event Action? MappingsChanged;

    /// <summary>The page of the last host read (<see cref="TryReadUInt64"/>), which walks read directly while they stay on it.</summary>
    public PageWindow Window => hostLast;

    /// <summary>How many pages are mapped.</summary>
    public int MappedPages { get; private set; }

    /// <summary>Whether guest accesses are checked as CPL 3 (user) accesses.</summary>
    internal bool UserMode
    {
        get => userMode;
        set
        {
            userMode = value;
            readTlb = value ? userRead : kernelRead;
            writeTlb = value ? userWrite : kernelWrite;
        }
    }

    public static bool IsCanonical(ulong address) => (ulong)(((long)address >> 47) + 1) <= 1;

    // ---------------------------------------------------------------- mapping (host side)

    /// <summary>Maps zeroed pages covering [address, address+length) with <paramref name="permissions"/>, replacing what was there.</summary>
    public void Map(ulong address, ulong length, PagePermissions permissions)
    {
        RequireCanonical(address);
        foreach (ulong p in PagesOf(address, length))
        {
            SetPage(p, NewPage(permissions, copyOf: null));
        }

        structuralChange = true;
        MappingsChanged?.Invoke();
    }

    /// <summary>
    /// The pages covering [address, address+length), up to the top of the address space: the range
    /// may end exactly at 2^64 (the last page), and a range that would run past it is an error, not
    /// a walk that wraps to page 0 and maps everything.
    /// </summary>
    private static IEnumerable<ulong> PagesOf(ulong address, ulong length)
    {
        if (length == 0)
        {
            yield break;
        }

        ulong lastByte = address + (length - 1);
        if (lastByte < address)
        {
            throw new ArgumentOutOfRangeException(nameof(length), $"0x{address:x} + 0x{length:x} runs past the top of the address space");
        }

        for (ulong p = address & ~PageMask; ; p += PageSize)
        {
            yield return p;
            if (p == (lastByte & ~PageMask))
            {
                yield break;
            }
        }
    }

    /// <summary>Removes the pages covering [address, address+length); later accesses fault as not present.</summary>
    public void Unmap(ulong address, ulong length)
    {
        RequireCanonical(address);
        foreach (ulong p in PagesOf(address, length))
        {
            SetPage(p, null);
        }

        structuralChange = true;
        MappingsChanged?.Invoke();
    }

    /// <summary>Changes the permissions of the mapped pages covering the range, keeping their contents.</summary>
    public void Protect(ulong address, ulong length, PagePermissions permissions)
    {
        foreach (ulong p in PagesOf(address, length))
        {
            var page = Lookup(p) ?? throw new InvalidOperationException($"Protect: page 0x{p:x} is not mapped");
            SetPage(p, NewPage(permissions, copyOf: page.Data));
        }

        structuralChange = true;
        MappingsChanged?.Invoke();
    }

    public bool IsMapped(ulong address) => IsCanonical(address) && Lookup(address) != null;

    public bool TryGetPermissions(ulong address, out PagePermissions permissions)
    {
        var page = IsCanonical(address) ? Lookup(address) : null;
        permissions = page?.Permissions ?? PagePermissions.None;
        return page != null;
    }

    // ---------------------------------------------------------------- host access (no permission checks)

    /// <summary>Copies guest bytes into <paramref name="destination"/>; false if any byte is unmapped.</summary>
    public bool TryRead(ulong address, Span<byte> destination) => CopyOut(root, address, destination);

    private static bool CopyOut(PageDirectory root, ulong address, Span<byte> destination)
    {
        int done = 0;
        while (done < destination.Length)
        {
            ulong a = address + (ulong)done;
            var page = IsCanonical(a) ? Lookup(root, a) : null;
            if (page == null)
            {
                return false;
            }

            int off = (int)(a & PageMask);
            int n = Math.Min(PageSize - off, destination.Length - done);
            page.Data.AsSpan(off, n).CopyTo(destination[done..]);
            done += n;
        }

        return true;
    }

    /// <summary>Writes guest bytes regardless of permissions (copy-on-write and code invalidation still apply); false if any byte is unmapped (then nothing is written).</summary>
    public bool TryWrite(ulong address, ReadOnlySpan<byte> source)
    {
        for (ulong a = address & ~PageMask; a < address + (ulong)source.Length; a += PageSize)
        {
            if (!IsCanonical(a) || Lookup(a) == null)
            {
                return false;
            }
        }

        int done = 0;
        while (done < source.Length)
        {
            ulong a = address + (ulong)done;
            var page = WritablePage(a);
            int off = (int)(a & PageMask);
            int n = Math.Min(PageSize - off, source.Length - done);
            source.Slice(done, n).CopyTo(page.Data.AsSpan(off, n));
            done += n;
        }

        return true;
    }

    public byte[] Read(ulong address, int length)
    {
        var bytes = new byte[length];
        return TryRead(address, bytes) ? bytes : throw new InvalidOperationException($"host read of unmapped memory at 0x{address:x}");
    }

    public void Write(ulong address, ReadOnlySpan<byte> bytes)
    {
        if (!TryWrite(address, bytes))
        {
            throw new InvalidOperationException($"host write to unmapped memory at 0x{address:x}");
        }
    }

    public ulong ReadUInt64(ulong address)
    {
        Span<byte> b = stackalloc byte[8];
        return TryRead(address, b) ? BinaryPrimitives.ReadUInt64LittleEndian(b) : throw new InvalidOperationException($"host read of unmapped memory at 0x{address:x}");
    }

    /// <summary>
    /// A host read of 8 bytes (no permission checks): a hit on the page of the last host read costs a
    /// tag compare, so unwinders can afford a read per step; another page costs a host TLB lookup.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadUInt64(ulong address, out ulong value)
    {
        // A stack walk reads one page over and over, each address depending on the last value read:
        // the last page's data at hand keeps the TLB's index and entry load off that chain.
        return hostLast.TryReadUInt64(address, out value) || HostReadOtherPage(address, out value);
    }

    private bool HostReadOtherPage(ulong address, out ulong value)
    {
        ulong vpn = address >> 12;
        ref TlbEntry e = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(hostRead), (int)(vpn & (TlbSize - 1)));
        uint off = (uint)(address & PageMask);
        if (e.Tag == vpn && off <= PageSize - 8)
        {
            hostLast.Show(vpn, e.Data!);
            value = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(e.Data!), off));
            return true;
        }

        return SlowHostRead(address, out value);
    }

    private bool SlowHostRead(ulong address, out ulong value)
    {
        Span<byte> b = stackalloc byte[8];
        bool ok = TryRead(address, b);
        value = ok ? BinaryPrimitives.ReadUInt64LittleEndian(b) : 0;
        if (ok && IsCanonical(address) && Lookup(address) is { } page)
        {
            ulong vpn = address >> 12;
            ref var e = ref hostRead[(int)(vpn & (TlbSize - 1))];
            e.Tag = vpn;
            e.Data = page.Data;
            hostLast.Show(vpn, page.Data);
        }

        return ok;
    }

    public void WriteUInt64(ulong address, ulong value)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(b, value);
        Write(address, b);
    }

    /// <summary>
    /// Every mapped page's address (canonical, lowest first) and permissions: what a core dump of the
    /// machine writes. Read-only: it walks the page tree and touches no TLB.
    /// </summary>
    public IEnumerable<(ulong Address, PagePermissions Permissions)> EnumerateMappedPages()
    {
        var pending = new Stack<(PageDirectory Directory, ulong Vpn)>();
        pending.Push((root, 0));
        while (pending.Count > 0)
        {
            var (directory, vpn) = pending.Pop();
            if (directory.Pages is { } pages)
            {
                for (int i = 0; i < PageDirectory.Fanout; i++)
                {
                    if (pages[i] is { } page)
                    {
                        // Bit 47 of the address (bit 35 of the page number) sign-extends into the upper half.
                        ulong address = ((vpn << PageDirectory.Bits) | (uint)i) << 12;
                        yield return ((address & (1UL << 47)) != 0 ? address | 0xffff_0000_0000_0000 : address, page.Permissions);
                    }
                }

                continue;
            }

            // Pushed highest first, so the lowest addresses come out first.
            for (int i = PageDirectory.Fanout - 1; i >= 0; i--)
            {
                if (directory.Children![i] is { } child)
                {
                    pending.Push((child, (vpn << PageDirectory.Bits) | (uint)i));
                }
            }
        }
    }

    // ---------------------------------------------------------------- snapshots

    /// <summary>Freezes the current contents; later writes copy the pages they touch.</summary>
    public MemorySnapshot Snapshot()
    {
        var s = new MemorySnapshot(root, MappedPages);
        foreach (var page in epochPages)
        {
            page.Original = null; // frozen now: its own snapshot's page, not a copy of another's
        }

        epoch++;
        generation++;
        written.Clear();
        epochPages.Clear(); // now shared with the snapshot
        epochBase = root;
        structuralChange = false;
        epochDirectories.Clear(); // shared with the snapshot too
        ClearWriteTlbs();
        return s;
    }

    /// <summary>
    /// A read-only view of memory as it is now that later writes do not change (a snapshot read
    /// through the host path): what a captured stack trace keeps so it can be unwound again later.
    /// </summary>
    public IMemoryReader Freeze() => new FrozenMemory(Snapshot().Root);

    /// <summary>Returns the whole address space to <paramref name="snapshot"/> (which stays usable).</summary>
    public void Restore(MemorySnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);

        // Back to the tree this epoch started from, with only writes since: every page differs from
        // the snapshot's only if it is a copy written since the last restore (the write TLBs were
        // cleared then, so each first write went through WritablePage and was noted). Putting those
        // bytes back makes the live tree equal to the snapshot without replacing a page, so the
        // tree, the copies and every read TLB entry stay valid: the next point's writes to the same
        // pages copy nothing.
        if (snapshot.Root == epochBase && !structuralChange)
        {
            foreach (var page in written)
            {
                page.Original!.Data.CopyTo(page.Data, 0);
                if (page.Code != null)
                {
                    page.Code.Stale = true;
                    page.Code = null;
                }
            }

            written.Clear();
            generation++;
            MappedPages = snapshot.MappedPages;
            ClearWriteTlbs(); // the next first write to each page is noted again
            return;
        }

        root = snapshot.Root;
        RecycleEpochPages();
        written.Clear();
        generation++;
        epoch++;
        epochBase = root;
        structuralChange = false;
        MappedPages = snapshot.MappedPages;
        FlushTlbs();
        MappingsChanged?.Invoke();
    }

    // ---------------------------------------------------------------- guest access (checked, TLB fast path)

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool TryRead64(ulong address, out ulong value)
    {
        ulong vpn = address >> 12;
        ref TlbEntry e = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(readTlb), (int)(vpn & (TlbSize - 1)));
        uint off = (uint)(address & PageMask);
        if (e.Tag == vpn && off <= PageSize - 8)
        {
            value = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(e.Data!), off));
            return true;
        }

        return SlowRead(address, 8, out value);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool TryWrite64(ulong address, ulong value)
    {
        ulong vpn = address >> 12;
        ref TlbEntry e = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(writeTlb), (int)(vpn & (TlbSize - 1)));
        uint off = (uint)(address & PageMask);
        if (e.Tag == vpn && off <= PageSize - 8)
        {
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(e.Data!), off), value);
            return true;
        }

        return SlowWrite(address, 8, value);
    }

    /// <summary>Reads 1, 2, 4 or 8 bytes (zero-extended).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool TryRead(ulong address, int size, out ulong value)
    {
        ulong vpn = address >> 12;
        ref TlbEntry e = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(readTlb), (int)(vpn & (TlbSize - 1)));
        uint off = (uint)(address & PageMask);
        if (e.Tag == vpn && off <= (uint)(PageSize - size))
        {
            ref byte b = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(e.Data!), off);
            value = size switch
            {
                8 => Unsafe.ReadUnaligned<ulong>(ref b),
                4 => Unsafe.ReadUnaligned<uint>(ref b),
                2 => Unsafe.ReadUnaligned<ushort>(ref b),
                _ => b,
            };
            return true;
        }

        return SlowRead(address, size, out value);
    }

    /// <summary>Writes the low 1, 2, 4 or 8 bytes of <paramref name="value"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool TryWrite(ulong address, int size, ulong value)
    {
        ulong vpn = address >> 12;
        ref TlbEntry e = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(writeTlb), (int)(vpn & (TlbSize - 1)));
        uint off = (uint)(address & PageMask);
        if (e.Tag == vpn && off <= (uint)(PageSize - size))
        {
            ref byte b = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(e.Data!), off);
            switch (size)
            {
                case 8: Unsafe.WriteUnaligned(ref b, value); break;
                case 4: Unsafe.WriteUnaligned(ref b, (uint)value); break;
                case 2: Unsafe.WriteUnaligned(ref b, (ushort)value); break;
                default: b = (byte)value; break;
            }

            return true;
        }

        return SlowWrite(address, size, value);
    }

    /// <summary>Checks that the page holding <paramref name="address"/> may be fetched from at the current privilege; returns it.</summary>
    internal Page? TranslateFetch(ulong address)
    {
        return TranslateChecked(address, AccessKind.Execute, out var page) ? page : null;
    }

    /// <summary>Attaches a decoded-instruction cache to a code page, and keeps the page out of the write TLBs so writes to it invalidate the cache.</summary>
    internal DecodedPage AttachCode(Page page, ulong pageAddress)
    {
        var code = page.Code;
        if (code == null)
        {
            code = new DecodedPage(pageAddress);
            page.Code = code;
            InvalidateTlbSlot(pageAddress >> 12, writesOnly: true);
        }

        return code;
    }

    /// <summary>Reads bytes for the decoder without permission checks beyond presence; returns how many were available.</summary>
    internal int PeekCode(ulong address, Span<byte> destination)
    {
        int done = 0;
        while (done < destination.Length)
        {
            ulong a = address + (ulong)done;
            var page = IsCanonical(a) ? Lookup(a) : null;
            if (page == null)
            {
                break;
            }

            int off = (int)(a & PageMask);
            int n = Math.Min(PageSize - off, destination.Length - done);
            page.Data.AsSpan(off, n).CopyTo(destination[done..]);
            done += n;
        }

        return done;
    }

    internal void FlushTlbs()
    {
        ClearTlb(hostRead);
        hostLast.Clear();
        ClearTlb(kernelRead);
        ClearTlb(kernelWrite);
        ClearTlb(userRead);
        ClearTlb(userWrite);
        writeSlotCount = 0;
    }

    /// <summary>Invalidates every write-TLB entry: the slots filled since the last time, or all of them.</summary>
    private void ClearWriteTlbs()
    {
        if (writeSlotCount > WriteSlotsTracked)
        {
            ClearTlb(kernelWrite);
            ClearTlb(userWrite);
        }
        else
        {
            for (int i = 0; i < writeSlotCount; i++)
            {
                kernelWrite[writeSlots[i]] = new TlbEntry { Tag = TlbEntry.Invalid };
                userWrite[writeSlots[i]] = new TlbEntry { Tag = TlbEntry.Invalid };
            }
        }

        writeSlotCount = 0;
    }

    private bool SlowRead(ulong address, int size, out ulong value)
    {
        value = 0;
        ulong last = address + (ulong)size - 1;
        if (!TranslateChecked(address, AccessKind.Read, out var first) || !TranslateChecked(last, AccessKind.Read, out var second))
        {
            return false;
        }

        Fill(readTlb, address, first);
        for (int i = 0; i < size; i++)
        {
            ulong a = address + (ulong)i;
            var page = (a >> 12) == (address >> 12) ? first : second;
            value |= (ulong)page.Data[a & PageMask] << (8 * i);
        }

        return true;
    }

    private bool SlowWrite(ulong address, int size, ulong value)
    {
        ulong last = address + (ulong)size - 1;
        if (!TranslateChecked(address, AccessKind.Write, out var firstFound) || !TranslateChecked(last, AccessKind.Write, out var lastFound))
        {
            return false;
        }

        var first = WritablePage(address, firstFound);
        var second = (last >> 12) == (address >> 12) ? first : WritablePage(last, lastFound);
        for (int i = 0; i < size; i++)
        {
            ulong a = address + (ulong)i;
            var page = (a >> 12) == (address >> 12) ? first : second;
            page.Data[a & PageMask] = (byte)(value >> (8 * i));
        }

        Fill(writeTlb, address, first);
        return true;
    }

    /// <summary>Looks the page up and checks the access; on failure records the fault.</summary>
    private bool TranslateChecked(ulong address, AccessKind kind, out Page page)
    {
        page = null!;
        if (!IsCanonical(address))
        {
            LastFault = new MemoryFault { NonCanonical = true, Address = address };
            return false;
        }

        var found = Lookup(address);
        var code = (PageFaultErrorCode)0;
        if (kind == AccessKind.Write)
        {
            code |= PageFaultErrorCode.Write;
        }

        if (kind == AccessKind.Execute)
        {
            code |= PageFaultErrorCode.InstructionFetch;
        }

        if (userMode)
        {
            code |= PageFaultErrorCode.User;
        }

        if (found == null)
        {
            LastFault = new MemoryFault { Address = address, ErrorCode = code };
            return false;
        }

        var p = found.Permissions;
        bool allowed = (!userMode || (p & PagePermissions.User) != 0)
            && (kind != AccessKind.Write || (p & PagePermissions.Writable) != 0)
            && (kind != AccessKind.Execute || (p & PagePermissions.Executable) != 0);
        if (!allowed)
        {
            LastFault = new MemoryFault { Address = address, ErrorCode = code | PageFaultErrorCode.Present };
            return false;
        }

        page = found;
        return true;
    }

    private void Fill(TlbEntry[] tlb, ulong address, Page page)
    {
        if (tlb == writeTlb && (page.Code != null || page.Epoch != epoch))
        {
            return;
        }

        ulong vpn = address >> 12;
        int slot = (int)(vpn & (TlbSize - 1));
        if (tlb == writeTlb)
        {
            if (writeSlotCount < WriteSlotsTracked)
            {
                writeSlots[writeSlotCount] = slot;
            }

            // Past the tracked slots it only needs to say "too many": it stops there.
            writeSlotCount = Math.Min(writeSlotCount + 1, WriteSlotsTracked + 1);
        }

        ref var e = ref tlb[slot];
        e.Tag = vpn;
        e.Data = page.Data;
    }

    /// <summary>The page at <paramref name="address"/>, copied into the current epoch if shared, with its code cache dropped.</summary>
    private Page WritablePage(ulong address) => WritablePage(address, Lookup(address)!);

    /// <summary>The same, for the page the caller already looked up at <paramref name="address"/>.</summary>
    private Page WritablePage(ulong address, Page page)
    {
        if (page.Code != null)
        {
            page.Code.Stale = true;
            page.Code = null;
        }

        if (page.Epoch != epoch)
        {
            var original = page;
            page = NewPage(page.Permissions, copyOf: page.Data);
            page.Original = original;
            SetPage(address, page);
        }

        if (page.Original != null && page.WrittenIn != generation)
        {
            page.WrittenIn = generation;
            written.Add(page);
        }

        return page;
    }

    /// <summary>A page of the current epoch, zeroed or a copy of <paramref name="copyOf"/>, its frame recycled when possible.</summary>
    private Page NewPage(PagePermissions permissions, byte[]? copyOf)
    {
        if (!freeFrames.TryPop(out var frame))
        {
            frame = new byte[PageSize];
        }
        else if (copyOf == null)
        {
            Array.Clear(frame);
        }

        copyOf?.CopyTo(frame, 0);

        var page = new Page(frame, permissions, epoch);
        epochPages.Add(page);
        return page;
    }

    /// <summary>
    /// Pages created since the last snapshot or full restore belong to no snapshot (each of those starts a
    /// new epoch), so when a restore discards the live tree their frames can be reused.
    /// </summary>
    private void RecycleEpochPages()
    {
        foreach (var page in epochPages)
        {
            if (page.Code != null)
            {
                page.Code.Stale = true;
                page.Code = null;
            }

            freeFrames.Push(page.Data);
        }

        foreach (var directory in epochDirectories)
        {
            (directory.Children is null ? freeLast : freeUpper).Push(directory);
        }

        epochPages.Clear();
        epochDirectories.Clear();
    }

    private Page? Lookup(ulong address) => Lookup(root, address);

    private static Page? Lookup(PageDirectory root, ulong address)
    {
        ulong vpn = (address >> 12) & VpnMask;
        var d = root;
        for (int shift = 36 - PageDirectory.Bits; shift > 0 && d != null; shift -= PageDirectory.Bits)
        {
            d = d.Children![(int)((vpn >> shift) & (PageDirectory.Fanout - 1))];
        }

        return d?.Pages![(int)(vpn & (PageDirectory.Fanout - 1))];
    }

    /// <summary>Installs (or removes, when null) a page, copying the path from the root as needed.</summary>
    private void SetPage(ulong address, Page? page)
    {
        ulong vpn = (address >> 12) & VpnMask;
        if (root.Epoch != epoch)
        {
            root = CopyDirectory(root);
        }

        var d = root;
        for (int shift = 36 - PageDirectory.Bits; shift > 0; shift -= PageDirectory.Bits)
        {
            int i = (int)((vpn >> shift) & (PageDirectory.Fanout - 1));
            var child = d.Children![i];
            if (child == null)
            {
                child = NewDirectory(last: shift == PageDirectory.Bits, copyOf: null);
                d.Children[i] = child;
            }
            else if (child.Epoch != epoch)
            {
                child = CopyDirectory(child);
                d.Children[i] = child;
            }

            d = child;
        }

        int slot = (int)(vpn & (PageDirectory.Fanout - 1));
        var old = d.Pages![slot];
        if (old?.Code != null)
        {
            old.Code.Stale = true;
            old.Code = null;
        }

        MappedPages += (page != null ? 1 : 0) - (old != null ? 1 : 0);
        d.Pages[slot] = page;
        InvalidateTlbSlot(address >> 12, writesOnly: false);
    }

    private PageDirectory CopyDirectory(PageDirectory shared) => NewDirectory(last: shared.Children is null, copyOf: shared);

    /// <summary>A directory of the current epoch, empty or a copy of <paramref name="copyOf"/>, recycled when possible.</summary>
    private PageDirectory NewDirectory(bool last, PageDirectory? copyOf)
    {
        var free = last ? freeLast : freeUpper;
        var directory = free.TryPop(out var recycled) ? recycled.Reuse(epoch, copyOf)
            : copyOf?.CopyFor(epoch) ?? (last ? PageDirectory.Last(epoch) : PageDirectory.Upper(epoch));
        epochDirectories.Add(directory);
        return directory;
    }

    private void InvalidateTlbSlot(ulong vpn, bool writesOnly)
    {
        int i = (int)(vpn & (TlbSize - 1));
        if (!writesOnly && hostLast.PageNumber == vpn)
        {
            hostLast.Clear();
        }

        Invalidate(kernelWrite, i, vpn);
        Invalidate(userWrite, i, vpn);
        if (!writesOnly)
        {
            Invalidate(kernelRead, i, vpn);
            Invalidate(userRead, i, vpn);
            Invalidate(hostRead, i, vpn);
        }

        static void Invalidate(TlbEntry[] tlb, int i, ulong vpn)
        {
            if (tlb[i].Tag == vpn)
            {
                tlb[i] = new TlbEntry { Tag = TlbEntry.Invalid };
            }
        }
    }

    private static void RequireCanonical(ulong address)
    {
        if (!IsCanonical(address))
        {
            throw new ArgumentOutOfRangeException(nameof(address), $"0x{address:x} is not canonical");
        }
    }

    private static TlbEntry[] NewTlb()
    {
        var t = new TlbEntry[TlbSize];
        ClearTlb(t);
        return t;
    }

    private static void ClearTlb(TlbEntry[] tlb)
    {
        for (int i = 0; i < tlb.Length; i++)
        {
            tlb[i] = new TlbEntry { Tag = TlbEntry.Invalid };
        }
    }

    /// <summary>Host reads from a frozen page tree (no TLB: captures are read rarely).</summary>
    private sealed class FrozenMemory(PageDirectory root) : IMemoryReader
    {
        public bool TryReadUInt64(ulong address, out ulong value)
        {
            Span<byte> b = stackalloc byte[8];
            bool ok = TryRead(address, b);
            value = ok ? BinaryPrimitives.ReadUInt64LittleEndian(b) : 0;
            return ok;
        }

        public bool TryRead(ulong address, Span<byte> destination) => CopyOut(root, address, destination);

    }
}
