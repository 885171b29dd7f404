using System.Buffers.Binary;
using EntryModel.Unwinding.Image;

namespace EntryModel.Unwinding.Tests.Support;

/// <summary>
/// A tiny kernel image built by hand: a few functions whose bytes hold real <c>call</c>
/// instructions (each with a line-map entry, so the image's call sites are found), entry
/// stubs in <c>.entry.text</c>, the fake <c>pt_regs</c> marker, an <c>.entry_regs</c> table and
/// the constants unwinders read. Every address a test needs is a constant here.
/// </summary>
internal static class SyntheticKernel
{
    public const ulong Text = 0xffffffff81000000;
    public const ulong EntryText = Text + 0x1000;
    public const ulong EntryRegsTable = 0xffffffff82000000;

    // Functions in .text (push %rbp; mov %rsp,%rbp first; calls at the offsets below).
    public const ulong Leaf = Text + 0x000;
    public const ulong Inner = Text + 0x040;
    public const ulong Middle = Text + 0x080;
    public const ulong Outer = Text + 0x0c0;
    public const ulong Handler = Text + 0x100;
    public const ulong Schedule = Text + 0x140;
    public const ulong SwitchTo = Text + 0x180;
    public const ulong TailCaller = Text + 0x1c0;
    public const ulong AfterTail = Text + 0x1d0;
    public const ulong PtRegsMarker = Text + 0x200;
    public const ulong TextEnd = Text + 0x210;
    public const ulong FunctionSize = 0x20;

    // Entry stubs in .entry.text: each calls handler at +8.
    public const ulong PageFaultEntry = EntryText + 0x00;
    public const ulong IrqEntry = EntryText + 0x40;
    public const ulong SyscallEntry = EntryText + 0x80;
    public const ulong UnrecordedEntry = EntryText + 0xc0;
    public const ulong EntryTextEnd = EntryText + 0x100;

    /// <summary>inner+4: call leaf.</summary>
    public const ulong InnerRet = Inner + 9;

    /// <summary>middle+4: call inner.</summary>
    public const ulong MiddleRet = Middle + 9;

    /// <summary>middle+9: call *%rax (indirect).</summary>
    public const ulong MiddleIndirectRet = Middle + 0xb;

    /// <summary>outer+4: call middle.</summary>
    public const ulong OuterRet = Outer + 9;

    /// <summary>outer+0x10: call leaf, whose line-map entry has the wrong length.</summary>
    public const ulong OuterMislinedCallRet = Outer + 0x15;

    /// <summary>outer+0x18: call leaf, with no line-map entry at all.</summary>
    public const ulong OuterUnlinedCallRet = Outer + 0x1d;

    /// <summary>handler+4: call middle.</summary>
    public const ulong HandlerRet = Handler + 9;

    /// <summary>schedule+4: call switch_to.</summary>
    public const ulong ScheduleRet = Schedule + 9;

    /// <summary>tail_caller+0xb: call leaf, its last instruction: the return address is after_tail's first byte.</summary>
    public const ulong TailCallerRet = AfterTail;

    public const ulong PageFaultEntryRet = PageFaultEntry + 0xd;
    public const ulong IrqEntryRet = IrqEntry + 0xd;
    public const ulong SyscallEntryRet = SyscallEntry + 0xd;
    public const ulong UnrecordedEntryRet = UnrecordedEntry + 0xd;

    /// <summary>Where the tests' interrupted code stands: a nop in inner after its call (text that follows no call).</summary>
    public const ulong InnerFault = Inner + 0xc;

    /// <summary>Where dumps are taken: a nop in handler after its call.</summary>
    public const ulong HandlerDump = Handler + 0x10;

    /// <summary>A nop in leaf: where a registers start runs.</summary>
    public const ulong LeafRunning = Leaf + 8;

    /// <summary>The return address of the fake pt_regs frame.</summary>
    public const ulong PtRegsMarkerRet = PtRegsMarker + 1;

    public const ulong UserRip = 0x401000;
    public const ulong UserSp = 0x7ffc0000;
    public const ulong UserBp = 0x7ffc0100;
    public const ulong UserCs = 0x33;
    public const ulong UserSs = 0x2b;
    public const ulong KernelCs = 0x10;
    public const ulong KernelSs = 0x18;
    public const ulong Eflags = 0x246;

    public const long TaskFlagsOffset = 0x10;
    public const ulong PreemptIrqFlag = 0x4000000;

    public const int SizeOfPtRegs = 0xa8;
    public const int PtRegsRip = 0x80;

    /// <summary>The section strategy's rows: page fault (direct, +8), IRQ (indirect, +8), syscall (direct, +8).</summary>
    public static IReadOnlyList<(ulong ReturnAddress, long Offset, bool Indirect)> EntryRegsRows { get; } =
    [
        (PageFaultEntryRet, 8, false),
        (IrqEntryRet, 8, true),
        (SyscallEntryRet, 8, false),
    ];

    /// <summary>Every return address that follows a call the line map records, with its direct target (0 for indirect).</summary>
    public static IReadOnlyDictionary<ulong, ulong> CallsWithLines { get; } = new Dictionary<ulong, ulong>
    {
        [InnerRet] = Leaf,
        [MiddleRet] = Inner,
        [MiddleIndirectRet] = 0,
        [OuterRet] = Middle,
        [HandlerRet] = Middle,
        [ScheduleRet] = SwitchTo,
        [TailCallerRet] = Leaf,
        [PageFaultEntryRet] = Handler,
        [IrqEntryRet] = Handler,
        [SyscallEntryRet] = Handler,
        [UnrecordedEntryRet] = Handler,
    };

    private static readonly Lazy<KernelImage> Default = new(() => Build());

    /// <summary>The image with everything (marker, .entry_regs, constants), built once.</summary>
    public static KernelImage Built => Default.Value;

    /// <summary>The default image's unwinding metadata.</summary>
    public static UnwindImage Unwind => UnwindImage.For(Built);

    public static IUnwinder Unwinder(string name) => UnwinderCatalog.Create(name, Unwind);

    public static KernelImage Build(bool entryRegs = true, bool marker = true, bool constants = true, Action<Dictionary<string, long>>? adjust = null)
    {
        var text = Filled(TextEnd - Text);
        var entry = Filled(EntryTextEnd - EntryText);
        var lines = new List<LineMapEntry>();

        foreach (ulong function in new[] { Leaf, Inner, Middle, Outer, Handler, Schedule, SwitchTo })
        {
            Put(text, Text, function, 0x55, 0x48, 0x89, 0xe5); // push %rbp; mov %rsp,%rbp
            Put(text, Text, function + FunctionSize - 2, 0x5d, 0xc3); // pop %rbp; ret
        }

        CallDirect(text, Text, Inner + 4, Leaf, lines);
        CallDirect(text, Text, Middle + 4, Inner, lines);
        Put(text, Text, Middle + 9, 0xff, 0xd0); // call *%rax
        lines.Add(Line(Middle + 9, 2, "call *%rax"));
        CallDirect(text, Text, Outer + 4, Middle, lines);
        CallDirect(text, Text, Outer + 0x10, Leaf, null);
        lines.Add(Line(Outer + 0x10, 4, "call leaf (line length wrong)"));
        CallDirect(text, Text, Outer + 0x18, Leaf, null);
        CallDirect(text, Text, Handler + 4, Middle, lines);
        CallDirect(text, Text, Schedule + 4, SwitchTo, lines);
        CallDirect(text, Text, TailCaller + 0xb, Leaf, lines);
        foreach (ulong stub in new[] { PageFaultEntry, IrqEntry, SyscallEntry, UnrecordedEntry })
        {
            CallDirect(entry, EntryText, stub + 8, Handler, lines);
        }

        var symbols = new List<Symbol>
        {
            Function("leaf", Leaf), Function("inner", Inner), Function("middle", Middle), Function("outer", Outer),
            Function("handler", Handler), Function("schedule", Schedule), Function("switch_to", SwitchTo),
            new("tail_caller", TailCaller, 0x10, SymbolKind.Function, ".text"),
            new("after_tail", AfterTail, 0x10, SymbolKind.Function, ".text"),
            Entry("page_fault_entry", PageFaultEntry), Entry("irq_entry", IrqEntry), Entry("syscall_entry", SyscallEntry),
            Entry("unrecorded_entry", UnrecordedEntry),
        };
        if (marker)
        {
            symbols.Add(new Symbol("pt_regs", PtRegsMarker, 0x10, SymbolKind.Marker, ".text"));
        }

        var chunks = new List<ImageChunk>
        {
            new(".text", Text, text, SectionPermissions.Executable),
            new(".entry.text", EntryText, entry, SectionPermissions.Executable),
        };
        if (entryRegs)
        {
            var table = new byte[EntryRegsRows.Count * 24];
            for (int i = 0; i < EntryRegsRows.Count; i++)
            {
                var (ret, offset, indirect) = EntryRegsRows[i];
                BinaryPrimitives.WriteUInt64LittleEndian(table.AsSpan(i * 24), ret);
                BinaryPrimitives.WriteInt64LittleEndian(table.AsSpan((i * 24) + 8), offset);
                BinaryPrimitives.WriteUInt64LittleEndian(table.AsSpan((i * 24) + 16), indirect ? 1UL : 0UL);
            }

            chunks.Add(new ImageChunk(UnwindImage.EntryRegsSection, EntryRegsTable, table, SectionPermissions.None));
        }

        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        if (constants)
        {
            for (int i = 0; i < PtRegsLayout.Fields.Count; i++)
            {
                values[PtRegsLayout.Fields[i]] = i * 8;
            }

            values["SIZEOF_PTREGS"] = SizeOfPtRegs;
            values["SWITCH_FRAME_RBP"] = 0x28;
            values["SWITCH_FRAME_RET"] = 0x30;
            values["SWITCH_FRAME_SIZE"] = 0x38;
            values["TASK_FLAGS"] = TaskFlagsOffset;
            values["PF_PREEMPT_IRQ"] = (long)PreemptIrqFlag;
        }

        adjust?.Invoke(values);

        var idt = new List<IdtGate>
        {
            new(14, "page_fault_entry", PageFaultEntry, "handler", true, 0, false, 0),
            new(0xef, "irq_entry", IrqEntry, "handler", false, 0, true, 0),
        };
        return new KernelImage("synthetic", "synthetic", "hand-built for unwinder tests", ["CONFIG_FRAME_POINTER", "CONFIG_PT_REGS_FRAME", "CONFIG_ENCODED_RBP", "CONFIG_ENTRY_SECTION", "CONFIG_TASK_FLAG"], chunks, new SymbolTable(symbols), [], lines, idt, "syscall_entry", values);
    }

    private static Symbol Function(string name, ulong address) => new(name, address, FunctionSize, SymbolKind.Function, ".text");

    private static Symbol Entry(string name, ulong address) => new(name, address, 0x40, SymbolKind.Entry, ".entry.text");

    private static byte[] Filled(ulong size)
    {
        var bytes = new byte[size];
        Array.Fill(bytes, (byte)0x90); // nop
        return bytes;
    }

    private static void Put(byte[] chunk, ulong chunkAddress, ulong at, params byte[] bytes) =>
        bytes.CopyTo(chunk.AsSpan((int)(at - chunkAddress)));

    /// <summary>Writes <c>call rel32</c> at <paramref name="at"/> and, unless <paramref name="lines"/> is null, its line-map entry.</summary>
    private static void CallDirect(byte[] chunk, ulong chunkAddress, ulong at, ulong target, List<LineMapEntry>? lines)
    {
        int rel = (int)(long)(target - (at + 5));
        chunk[(int)(at - chunkAddress)] = 0xe8;
        BinaryPrimitives.WriteInt32LittleEndian(chunk.AsSpan((int)(at - chunkAddress) + 1), rel);
        lines?.Add(Line(at, 5, "call"));
    }

    private static LineMapEntry Line(ulong address, int length, string text) => new(address, length, "Synthetic", 1, "Synthetic.cs", 1, text, string.Empty);
}
