using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace EntryModel.Unwinding.Image;

/// <summary>
/// What unwinders may know of an image, gathered once: its symbols and kernel text, the pt_regs
/// and switch-frame layouts, where the fake <c>pt_regs</c> function is, which text is entry code,
/// the <c>section</c> strategy's pt_regs records, the call sites, the task flag the
/// <c>task-flag</c> strategy sets, the ORC tables, the IDT and the syscall entry. Never ground truth.
/// </summary>
public sealed class UnwindImage
{
    /// <summary>The section whose rows (return address, offset, indirect: three quads) the <c>section</c> strategy's entry code emits.</summary>
    public const string EntryRegsSection = ".entry_regs";

    private readonly (ulong Start, ulong End)[] entryText;

    // [entryLow, entryLow + entrySpan): from the first entry range's start to the last one's end (empty without entry code).
    private readonly ulong entryLow;
    private readonly ulong entrySpan;
    private readonly Dictionary<ulong, EntryRegsRecord> entryRegs;

    // The records whose return address lies in entry code, looked up at every return into entry code by the section unwinder.
    private readonly ReturnAddressTable<EntryRegsRecord> entryCalls;

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<KernelImage, UnwindImage> Cache = [];

    public UnwindImage(KernelImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        Image = image;
        Symbols = image.Symbols;
        Text = KernelTextRange.FromImage(image);
        PtRegs = PtRegsLayout.FromImage(image);
        SwitchFrame = SwitchFrameLayout.FromImage(image);
        PtRegsMarkerReturn = image.Symbols.TryGet("pt_regs", out var marker) && marker.Kind == SymbolKind.Marker && marker.Size > 1 ? marker.Address + 1 : 0;
        entryText = MergeRanges(image.Chunks
            .Where(c => c.Section.StartsWith(".entry", StringComparison.Ordinal) && (c.Flags & SectionPermissions.Executable) != 0)
            .Select(c => (c.Address, c.End)));
        if (entryText.Length > 0)
        {
            entryLow = entryText[0].Start;
            entrySpan = entryText[^1].End - entryLow;
        }

        entryRegs = ReadEntryRegs(image);
        entryCalls = new ReturnAddressTable<EntryRegsRecord>(entryRegs.Where(r => IsEntryText(r.Key)).Select(r => (r.Key, r.Value)));
        CallSites = CallSites.FromImage(image, Text);
        TaskFlagsOffset = image.Constants.TryGetValue("TASK_FLAGS", out long flags) ? flags : -1;
        PreemptIrqFlag = image.Constants.TryGetValue("PF_PREEMPT_IRQ", out long pf) ? (ulong)pf : 0;
        Orc = image.Orc;
        OrcCallSites = Orc is null ? null : OrcCallSiteRows.Build(Orc, CallSites);
        RetFromFork = image.Symbols.TryGet("ret_from_fork", out var fork) ? fork.Address : 0;
    }

    public KernelImage Image { get; }

    /// <summary>The metadata of <paramref name="image"/>, gathered once and shared.</summary>
    public static UnwindImage For(KernelImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return Cache.GetValue(image, i => new UnwindImage(i));
    }

    public SymbolTable Symbols { get; }

    public KernelTextRange Text { get; }

    public PtRegsLayout PtRegs { get; }

    public SwitchFrameLayout SwitchFrame { get; }

    /// <summary><c>pt_regs+1</c>, the return address of the seed's fake frames; 0 when the image has no pt_regs marker.</summary>
    public ulong PtRegsMarkerReturn { get; }

    public CallSites CallSites { get; }

    /// <summary>Offset of the task flags in the task struct, or -1.</summary>
    public long TaskFlagsOffset { get; }

    /// <summary>The flag entry code sets on a task preempted from an interrupt; 0 when the image defines none.</summary>
    public ulong PreemptIrqFlag { get; }

    /// <summary>The image's ORC tables, for the <c>orc</c> unwinder; null when the image has none.</summary>
    public OrcTable? Orc { get; }

    /// <summary>The ORC row at each of the image's calls, for the <c>orc</c> unwinder's return addresses; null without ORC tables.</summary>
    public OrcCallSiteRows? OrcCallSites { get; }

    /// <summary>Where a new task first runs (<c>ret_from_fork</c>); 0 when the image has no such symbol.</summary>
    public ulong RetFromFork { get; }

    /// <summary>The <c>section</c> strategy's records, by return address.</summary>
    public IReadOnlyDictionary<ulong, EntryRegsRecord> EntryRegs => entryRegs;

    /// <summary>From the first entry code to the end of the last (<see cref="IsEntryText"/> holds only inside it): its start and length, (0, 0) without entry code.</summary>
    public (ulong Low, ulong Span) EntryTextBounds => (entryLow, entrySpan);

    /// <summary>Whether <paramref name="address"/> lies in entry code (a section named .entry*).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsEntryText(ulong address) =>
        // Asked on every frame by the section unwinder: most addresses are outside all of entry
        // code, which one unsigned compare against the span of its ranges says here; the rest are
        // found by a binary search of the sorted, disjoint ranges (one per entry chunk).
        address - entryLow < entrySpan && InEntryRange(address);

    private bool InEntryRange(ulong address)
    {
        var ranges = entryText;
        int lo = 0, hi = ranges.Length - 1;
        while (lo <= hi)
        {
            int mid = (int)((uint)(lo + hi) >> 1);
            if (ranges[mid].Start <= address)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return hi >= 0 && address < ranges[hi].End;
    }

    public bool TryGetEntryRegs(ulong returnAddress, out EntryRegsRecord record) => entryRegs.TryGetValue(returnAddress, out record);

    /// <summary>
    /// The record for <paramref name="returnAddress"/> when it lies in entry code
    /// (<see cref="IsEntryText"/>) and has one (<see cref="TryGetEntryRegs"/>): both answered by one probe.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryGetEntryCallRegs(ulong returnAddress, out EntryRegsRecord record) => entryCalls.TryGetValue(returnAddress, out record);

    /// <summary>The ranges sorted by start, overlapping or touching ones merged.</summary>
    private static (ulong Start, ulong End)[] MergeRanges(IEnumerable<(ulong Start, ulong End)> ranges)
    {
        var merged = new List<(ulong Start, ulong End)>();
        foreach (var (start, end) in ranges.Where(r => r.Start < r.End).OrderBy(r => r.Start))
        {
            if (merged.Count > 0 && start <= merged[^1].End)
            {
                merged[^1] = (merged[^1].Start, Math.Max(merged[^1].End, end));
            }
            else
            {
                merged.Add((start, end));
            }
        }

        return [.. merged];
    }

    private static Dictionary<ulong, EntryRegsRecord> ReadEntryRegs(KernelImage image)
    {
        var records = new Dictionary<ulong, EntryRegsRecord>();
        foreach (var chunk in image.Chunks.Where(c => c.Section == EntryRegsSection))
        {
            var bytes = chunk.Bytes.AsSpan();
            for (int i = 0; i + 24 <= bytes.Length; i += 24)
            {
                ulong ret = BinaryPrimitives.ReadUInt64LittleEndian(bytes[i..]);
                long offset = BinaryPrimitives.ReadInt64LittleEndian(bytes[(i + 8)..]);
                bool indirect = BinaryPrimitives.ReadUInt64LittleEndian(bytes[(i + 16)..]) != 0;
                records[ret] = new EntryRegsRecord(ret, offset, indirect);
            }
        }

        return records;
    }
}
