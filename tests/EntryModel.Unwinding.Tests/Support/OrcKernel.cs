using EntryModel.Unwinding.Image;
using EntryModel.Unwinding.Unwinders;
using static EntryModel.Unwinding.Tests.Support.SyntheticKernel;

namespace EntryModel.Unwinding.Tests.Support;

/// <summary>
/// The synthetic kernel as the ORC strategy builds it: the same code, no frame-pointer marks, a
/// <c>ret_from_fork</c> after the entry stubs, and the ORC rows objtool would write for that code.
/// Every function of 0x20 bytes sets up a frame (push %rbp at +0, mov %rsp,%rbp at +1, pop %rbp
/// before its ret at +0x1f); tail_caller and after_tail are frameless. Entry stubs hold an iret
/// frame at their first byte and pt_regs at the stack pointer (irq_entry: through the word at the
/// IRQ stack's top) when they call handler; syscall_entry starts with the end-of-stack hint, and
/// unrecorded_entry plays ret_from_fork's call of a kernel thread's function, which ends the stack.
/// </summary>
internal static class OrcKernel
{
    public const ulong RetFromFork = EntryTextEnd;
    public const ulong RetFromForkEnd = RetFromFork + 0x40;

    /// <summary>Where the tail of unrecorded_entry leaves the tables with nothing known (right before ret_from_fork).</summary>
    public const ulong UnrecordedEntryTail = UnrecordedEntry + 0x20;

    /// <summary>R10's offset in the synthetic pt_regs.</summary>
    public const ulong PtRegsR10 = 0x38;

    public static IReadOnlyList<(ulong Ip, OrcEntry Row)> Rows { get; } = MakeRows();

    private static readonly Lazy<KernelImage> Default = new(() => Build());

    public static KernelImage Built => Default.Value;

    public static UnwindImage Unwind => UnwindImage.For(Built);

    public static IUnwinder Unwinder() => new OrcUnwinder(Unwind);

    public static UnwindTrace Walk(in UnwindStart start) => UnwindTrace.Collect(Unwinder(), start);

    public static OrcEntry CallRow(OrcRegister sp, short spOffset, OrcRegister bp = OrcRegister.Undefined, short bpOffset = 0) => new(spOffset, bpOffset, sp, bp, OrcType.Call, false);

    public static OrcEntry RegsRow(OrcRegister sp, short spOffset, OrcType type = OrcType.Regs) => new(spOffset, 0, sp, OrcRegister.Undefined, type, false);

    public static OrcEntry EndOfStack => new(0, 0, OrcRegister.Undefined, OrcRegister.Undefined, OrcType.Call, true);

    /// <summary>The ORC image with <paramref name="rows"/> (default: <see cref="Rows"/>), or without tables, under <paramref name="defines"/>.</summary>
    public static KernelImage Build(IEnumerable<(ulong Ip, OrcEntry Row)>? rows = null, bool tables = true, IReadOnlyList<string>? defines = null)
    {
        var plain = SyntheticKernel.Build();
        var fork = new byte[RetFromForkEnd - RetFromFork];
        Array.Fill(fork, (byte)0x90);
        var table = tables ? Table(rows ?? Rows) : null;
        return new KernelImage(
            "synthetic",
            "orc",
            "hand-built for the ORC unwinder's tests",
            defines ?? [StrategyMarks.Orc],
            [.. plain.Chunks, new ImageChunk(".entry.text", RetFromFork, fork, SectionPermissions.Executable)],
            new SymbolTable([.. plain.Symbols.All, new Symbol("ret_from_fork", RetFromFork, RetFromForkEnd - RetFromFork, SymbolKind.Entry, ".entry.text")]),
            plain.Relocations,
            plain.Lines,
            plain.Idt,
            plain.SyscallEntry,
            plain.Constants,
            table);
    }

    /// <summary>The rows with those at <paramref name="replaced"/> swapped for new ones.</summary>
    public static IEnumerable<(ulong Ip, OrcEntry Row)> With(params (ulong Ip, OrcEntry Row)[] replaced) =>
        Rows.Where(r => replaced.All(x => x.Ip != r.Ip)).Concat(replaced).OrderBy(r => r.Ip);

    private static OrcTable Table(IEnumerable<(ulong Ip, OrcEntry Row)> rows)
    {
        var sorted = rows.OrderBy(r => r.Ip).ToList();
        return new OrcTable([.. sorted.Select(r => r.Ip)], [.. sorted.Select(r => r.Row)], Text, RetFromForkEnd);
    }

    private static List<(ulong, OrcEntry)> MakeRows()
    {
        var rows = new List<(ulong, OrcEntry)>();
        foreach (ulong function in new[] { Leaf, Inner, Middle, Outer, Handler, Schedule, SwitchTo })
        {
            rows.Add((function, CallRow(OrcRegister.Sp, 8)));
            rows.Add((function + 1, CallRow(OrcRegister.Sp, 16, OrcRegister.PrevSp, -16)));
            rows.Add((function + 4, CallRow(OrcRegister.Bp, 16, OrcRegister.PrevSp, -16)));
            rows.Add((function + FunctionSize - 1, CallRow(OrcRegister.Sp, 8)));
        }

        rows.Add((TailCaller, CallRow(OrcRegister.Sp, 8)));
        rows.Add((AfterTail, CallRow(OrcRegister.Sp, 8)));
        rows.Add((PtRegsMarker, OrcEntry.Undefined));
        rows.Add((TextEnd, OrcEntry.Undefined));
        foreach (ulong stub in new[] { PageFaultEntry, IrqEntry })
        {
            rows.Add((stub, RegsRow(OrcRegister.Sp, 0, OrcType.RegsPartial)));
        }

        rows.Add((PageFaultEntry + 8, RegsRow(OrcRegister.Sp, 0)));
        rows.Add((IrqEntry + 8, RegsRow(OrcRegister.SpIndirect, 0)));
        rows.Add((SyscallEntry, EndOfStack));
        rows.Add((SyscallEntry + 8, RegsRow(OrcRegister.Sp, 0)));
        rows.Add((UnrecordedEntry, EndOfStack));
        rows.Add((UnrecordedEntryTail, OrcEntry.Undefined));
        rows.Add((RetFromFork, EndOfStack));
        return rows;
    }
}
