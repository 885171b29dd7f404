using EntryModel.Machine.GroundTruth;
using EntryModel.Oracles.Tests.Export.Images;
using EntryModel.Scenarios.Catalog;
using EntryModel.Scenarios.Judging;
using EntryModel.Unwinding;
using EntryModel.Unwinding.Image;

namespace EntryModel.Oracles.Tests.Export.Cores;

/// <summary>
/// Oracle: gdb on the frame-pointer strategies' images (none, pt-regs-frame, encoded-rbp, section,
/// task-flag: no <c>.eh_frame</c>, so gdb unwinds by its prologue analysis and %rbp) on cores taken
/// every few instructions of every scenario wherever the CPU is in the kernel, held against ground
/// truth and the strategy's own unwinder at the same point. Frames are compared by pc (the running
/// RIP, then each return address or interrupted RIP), not by name, so that two unnamed words are not
/// taken for the same frame. With b the first frame standing on pt_regs (the entry code an event
/// entered; the last kernel frame where there is none), every point falls in exactly one category
/// of each list below, and the test fails on a point in none. gdb against ground truth:
/// <list type="bullet">
/// <item><see cref="ToTheBoundary"/>: frames 0..b are ground truth's; then gdb, finding no
/// <c>push %rbp; mov %rsp,%rbp</c> in the entry code, calls it frameless and takes the word at its
/// stack pointer for its return address: a pt_regs slot (zero, flags, a stack address), the user RIP
/// being saved, or the pt-regs-frame strategy's fake frame (<c>pt_regs+1</c>), never kernel code; at
/// most two frames of that (what a fake frame's "saved %rbp" gives, or a user RIP's frame), or it stops
/// reading past the stack's end, or (no boundary) at the stack's end;</item>
/// <item><see cref="CrossesAtTheIret"/>: at the IRET of the exit path pt_regs is popped down to the
/// hardware frame, whose first word (at %rsp) is the interrupted RIP: the same frameless rule now
/// gives the right return address, %rbp is the interrupted code's again, and gdb follows ground
/// truth across the boundary to its end;</item>
/// <item><see cref="WrongInSwitchToAsm"/>: __switch_to_asm pushes %rbp and five more callee-saved
/// registers without making a frame record, then moves %rsp to the next task's stack; gdb's prologue
/// analysis knows only the <c>push %rbp</c>, so it reads one of the pushed registers (or a word of the
/// other task's stack) as the return address: gdb is wrong at frame 1, before any boundary, with a word
/// that is no code.</item>
/// </list>
/// The strategy's own unwinder against gdb on frames 0..b, where gdb is ground truth there:
/// <list type="bullet">
/// <item><see cref="Same"/>: the same frames;</item>
/// <item><see cref="SkipsTheCaller"/>: the walk lacks frame 1, which gdb has, and goes on further down
/// ground truth: the running function has no frame record of its own there (see
/// <see cref="WithoutFrameRecord"/>), so %rbp is still its caller's and the walk reads the caller's own
/// return address where gdb reads the word at %rsp;</item>
/// <item><see cref="LosesTheCaller"/>: the same, where the caller is the entry code at the bottom of
/// the stack (ret_from_fork, the syscall entry): its %rbp is no frame record (0 for a new task, the
/// user's at a system call), so the walk ends after frame 0 where gdb still reads frame 1 at %rsp;</item>
/// <item><see cref="StopsShort"/>: the walk cannot start at all (%rsp is on no stack the task's walk
/// knows: entry_SYSCALL_64 before it loads the task stack, the syscall exit after it restored the
/// user's, __switch_to_asm and __switch_to standing on a new task's stack that the capture's task
/// does not own), where gdb, which knows no stacks, has frame 0 and reads frame 1 at %rsp.</item>
/// </list>
/// Asserted besides: wherever the own unwinder is exact against ground truth, it and gdb agree up to
/// b (but in __switch_to_asm, where gdb is the one wrong); past b gdb never finds the interrupted
/// function but at the IRET, while the marked walks (frame-ptregs, frame-encoded, section) do in
/// every scenario (wherever they are exact) and the plain %rbp chain (frame for none, and task-flag, which is the same walk) never does: the
/// entry code makes no frame record, so the handler's saved %rbp leads from the handler straight to
/// the interrupted function's caller (the seed's bug). The judge's verdicts are printed.
/// One gdb process per strategy and scenario reads all its cores (<see cref="CoreSweep"/>).
/// </summary>
[TestFixture]
public sealed class GdbFramePointerSweepTests
{
    private const int Every = 9;

    private const string ToTheBoundary = "gdb = truth to the boundary, then the word at the entry code's %rsp";
    private const string CrossesAtTheIret = "gdb = truth across the boundary, at the IRET";
    private const string WrongInSwitchToAsm = "gdb wrong at frame 1 in __switch_to_asm";

    private const string Same = "own = gdb to the boundary";
    private const string SkipsTheCaller = "own skips frame 1 (no frame record there), gdb has it";
    private const string LosesTheCaller = "own ends at frame 0 (no frame record there, the caller's %rbp none), gdb has frame 1";
    private const string StopsShort = "own cannot start, gdb has frames 0..b";

    private const string Reaches = "reaches the interrupted function";

    /// <summary>The unwinders that walk the plain %rbp chain, marking no boundary.</summary>
    private static readonly string[] PlainWalks = ["frame", "task-flag"];

    private string dir = null!;

    [OneTimeSetUp]
    public void MakeDirectory() => dir = Directory.CreateTempSubdirectory("entrymodel-fp-sweep-").FullName;

    [OneTimeTearDown]
    public void DeleteDirectory() => Directory.Delete(dir, recursive: true);

    /// <summary>The strategies that keep frame pointers: all but orc.</summary>
    public static IEnumerable<string> Strategies =>
        ExportedImages.Strategies.Where(s => UnwinderCatalog.For(ExportedImages.Image(s)).Contains("frame"));

    public static IEnumerable<TestCaseData> Cases() =>
        from strategy in Strategies from scenario in ScenarioCatalog.Names select new TestCaseData(strategy, scenario);

    [Test]
    public void The_frame_pointer_strategies_are_all_but_orc() =>
        Assert.That(Strategies, Is.EquivalentTo(new[] { "none", "pt-regs-frame", "encoded-rbp", "section", "task-flag" }));

    [TestCaseSource(nameof(Cases))]
    public void Gdb_against_ground_truth_and_the_strategys_own_unwinder_at_every_sampled_kernel_point(string strategy, string scenarioName)
    {
        var image = ExportedImages.Image(strategy);
        string own = UnwinderCatalog.Own(image, out string? missing) ?? throw new AssertionException(missing ?? strategy);
        var unwinder = UnwinderCatalog.Create(own, UnwindImage.For(image));
        var judge = new StackJudge(image);
        var points = CoreSweep.Take(image, scenarioName, Every, dir);
        var backtraces = CoreSweep.Backtraces(image, points);

        var gdbKinds = new Dictionary<string, int>();
        var ownKinds = new Dictionary<string, int>();
        var ownWhere = new Dictionary<string, int>();
        var ownPast = new Dictionary<string, int>();
        var pastTheBoundary = new Dictionary<string, int>();
        var verdicts = new Dictionary<TraceVerdict, int>();
        var failures = new List<string>();
        for (int i = 0; i < points.Count; i++)
        {
            var point = points[i];
            var gdb = backtraces[i];
            var (truth, b) = Truth(point);
            var walk = Walk(unwinder, point);
            var verdict = judge.Judge(point.Capture, own).Verdict;
            string where = $"{ModelFrames.Name(image, point.Rip)} 0x{point.Rip:x} (b={b}, {own} {verdict}): truth [{Show(image, truth)}]; {own} [{Show(image, walk)}]; gdb {gdb}";
            Count(verdicts, verdict);

            string? gdbKind = ClassifyGdb(image, point, gdb, truth, b, pastTheBoundary);
            if (gdbKind is null)
            {
                failures.Add("gdb in no category at " + where);
                continue;
            }

            Count(gdbKinds, gdbKind);
            if (gdbKind != ToTheBoundary)
            {
                TestContext.Out.WriteLine($"{gdbKind}: {where}");
            }

            if (gdbKind == WrongInSwitchToAsm)
            {
                continue;
            }

            // gdb is ground truth on frames 0..b here: the own unwinder against it.
            var prefix = truth.Take(b + 1).ToList();
            var walked = walk.Take(b + 1).ToList();
            string? edge = WithoutFrameRecord(image, point);
            int further = walk.Count > 1 ? truth.IndexOf(walk[1], 2) : -1;
            string? ownKind = walked.SequenceEqual(prefix) ? Same
                : b >= 1 && further >= 2 && walk[0] == truth[0] && walk.Skip(1).Take(b - 1).SequenceEqual(truth.Skip(further).Take(b - 1)) && edge is not null ? SkipsTheCaller
                : b == 1 && walk.Count == 1 && walk[0] == truth[0] && edge is not null ? LosesTheCaller
                : walk.Count == 0 ? StopsShort
                : null;
            if (ownKind is null)
            {
                failures.Add($"{own} in no category at " + where);
                continue;
            }

            Count(ownKinds, ownKind);
            if (ownKind == StopsShort)
            {
                TestContext.Out.WriteLine($"{ownKind}: {where}");
            }

            if (ownKind != Same)
            {
                Count(ownWhere, $"{(ownKind == SkipsTheCaller ? "skips" : ownKind == LosesTheCaller ? "ends" : "cannot start")} at {(ownKind == StopsShort ? ModelFrames.Name(image, point.Rip) : edge)}");
            }

            // Past b: whether the own unwinder reaches the interrupted function, which gdb (but at an IRET) does not.
            if (b + 1 < truth.Count)
            {
                Count(ownPast, walk.Count > b + 1 && walk[b + 1] == truth[b + 1] ? Reaches : "does not reach it");
            }

            if (verdict == TraceVerdict.Exact && ownKind != Same)
            {
                failures.Add($"{own} is exact but not gdb's frames to the boundary at " + where);
            }
        }

        TestContext.Out.WriteLine($"{strategy}/{scenarioName}: {points.Count} kernel points; {own} against ground truth: {Tally(verdicts)}");
        TestContext.Out.WriteLine($"  gdb against ground truth: {Tally(gdbKinds)}");
        TestContext.Out.WriteLine($"  past the boundary, gdb's next frame: {Tally(pastTheBoundary)}");
        TestContext.Out.WriteLine($"  {own} against gdb (where gdb is ground truth to the boundary): {Tally(ownKinds)}; where they differ: {Tally(ownWhere)}");
        TestContext.Out.WriteLine($"  {own} past the boundary (a kernel function interrupted): {Tally(ownPast)}");
        Assert.That(points, Has.Count.GreaterThan(30));
        Assert.That(failures, Is.Empty, string.Join('\n', failures.Take(20)));
        Assert.That(gdbKinds.GetValueOrDefault(ToTheBoundary), Is.GreaterThan(points.Count * 3 / 4), "gdb mostly follows ground truth to the boundary and no further");
        int reaches = ownPast.GetValueOrDefault(Reaches);
        if (PlainWalks.Contains(own))
        {
            Assert.That(reaches, Is.Zero, $"{own} walks the plain %rbp chain: from the handler to the interrupted function's caller");
        }
        else
        {
            Assert.That(reaches, Is.GreaterThan(0), $"{own} reads the strategy's marks: it finds the interrupted function gdb cannot");
        }
    }

    /// <summary>gdb against ground truth at one point, or null for none of the categories; past the boundary, what gdb's next frame is goes into <paramref name="past"/>.</summary>
    private static string? ClassifyGdb(KernelImage image, SweepPoint point, GdbBacktrace gdb, List<ulong> truth, int b, Dictionary<string, int> past)
    {
        var seen = gdb.Frames.Select(f => f.Pc).ToList();
        if (!seen.Take(b + 1).SequenceEqual(truth.Take(b + 1)))
        {
            // Only __switch_to_asm, and only from frame 1: gdb stands where the core says.
            return ModelFrames.Name(image, point.Rip) == "__switch_to_asm" && seen[0] == truth[0] && seen.Count > 1 && seen[1] != truth[1] && !IsCode(image, seen[1]) ? WrongInSwitchToAsm : null;
        }

        ulong? interrupted = b + 1 < truth.Count ? truth[b + 1] : null;
        if (seen.Count > b + 1 && seen[b + 1] == interrupted)
        {
            // The word gdb takes is the one at %rsp: right only where it is the hardware frame's RIP.
            bool iret = b == 0 && point.Capture.Start.Memory.TryReadUInt64(point.Rsp, out ulong word) && word == interrupted;
            return iret && seen.Take(truth.Count).SequenceEqual(truth) ? CrossesAtTheIret : null;
        }

        // At most two frames past b (the word at %rsp, and, for a fake frame, what its "saved %rbp" gives), or a stop at the stack's end.
        int beyond = seen.Count - (b + 1);
        bool boundary = point.Capture.GroundTruth.Any(f => f.IsBoundary);
        string next = beyond == 0 ? (boundary ? "none (gdb cannot read past the stack)" : "none (the stack ends there: no boundary)")
            : gdb.Frames[b + 1].Function == "pt_regs" ? "pt_regs (the fake frame's pt_regs+1)"
            : !ModelFrames.IsKernel(seen[b + 1]) && gdb.Frames[b + 1].Function != "??" ? "user text (the user RIP being saved)"
            : !IsCode(image, seen[b + 1]) ? "no code (a pt_regs slot)"
            : "kernel code";
        Count(past, next);
        bool fake = next.StartsWith("pt_regs", StringComparison.Ordinal);
        bool ok = beyond == 0 ? !boundary || gdb.StoppedBecause?.StartsWith("Cannot access memory", StringComparison.Ordinal) == true
            : beyond == 1 || (beyond == 2 && (fake || next.StartsWith("user", StringComparison.Ordinal)));
        return ok && next != "kernel code" && (!fake || image.Defines.Contains("CONFIG_PT_REGS_FRAME")) ? ToTheBoundary : null;
    }

    /// <summary>Whether <paramref name="address"/> is in the image's code (a function, entry code or a label in one; not data, not the fake pt_regs).</summary>
    private static bool IsCode(KernelImage image, ulong address) =>
        image.Symbols.TryLookup(address, out var symbol, out _) && symbol.Kind is SymbolKind.Function or SymbolKind.Entry or SymbolKind.Label;

    /// <summary>
    /// Whether the running function has no frame record of its own at this instruction, so that %rbp is
    /// still (or again) its caller's: at its first instruction or its <c>push %rbp</c> (a thunk saves other
    /// registers first), at the <c>mov %rsp,%rbp</c> after it, at a
    /// <c>ret</c> (after <c>pop %rbp</c>), or anywhere in entry code, which makes no frame record
    /// (error_entry and paranoid_entry, called by the entry stubs, leave %rbp as the interrupted code had it).
    /// </summary>
    private static string? WithoutFrameRecord(KernelImage image, SweepPoint point)
    {
        Span<byte> code = stackalloc byte[3];
        bool found = image.Symbols.TryLookup(point.Rip, out var symbol, out ulong offset);
        bool read = point.Capture.Start.Memory.TryRead(point.Rip, code);
        return found && symbol.Kind == SymbolKind.Entry ? "entry code"
            : found && offset == 0 ? "first instruction"
            : read && code[0] == 0x55 ? "push %rbp"
            : read && code.SequenceEqual(stackalloc byte[] { 0x48, 0x89, 0xe5 }) ? "mov %rsp,%rbp"
            : read && code[0] == 0xc3 ? "ret"
            : null;
    }

    /// <summary>Ground truth as pcs: the running RIP, then every live frame's resume address, kernel only; and b, the first frame standing on pt_regs (else the last).</summary>
    private static (List<ulong> Pcs, int Boundary) Truth(SweepPoint point)
    {
        var live = point.Capture.GroundTruth.Where(f => f.Kind != TrueFrameKind.StackSwitch).ToList();
        var pcs = new List<ulong> { point.Rip };
        int b = -1;
        for (int i = 0; i < live.Count; i++)
        {
            if (b < 0 && live[i].IsBoundary)
            {
                b = i;
            }

            if (live[i].Kind == TrueFrameKind.Syscall || !ModelFrames.IsKernel(live[i].ReturnAddress))
            {
                break;
            }

            pcs.Add(live[i].ReturnAddress);
        }

        return (pcs, b < 0 ? pcs.Count - 1 : b);
    }

    /// <summary>The unwinder's walk as pcs, kernel only.</summary>
    private static List<ulong> Walk(IUnwinder unwinder, SweepPoint point) =>
        [.. UnwindTrace.Collect(unwinder, point.Capture.Start).Frames
            .Where(f => f.Kind != UnwindFrameKind.None)
            .TakeWhile(f => !f.UserMode && ModelFrames.IsKernel(f.Ip))
            .Select(f => f.Ip)];

    private static string Show(KernelImage image, IEnumerable<ulong> pcs) => string.Join(" | ", pcs.Select(pc => $"{ModelFrames.Name(image, pc)}@{pc:x}"));

    private static void Count<T>(Dictionary<T, int> tally, T key)
        where T : notnull => tally[key] = tally.GetValueOrDefault(key) + 1;

    private static string Tally<T>(Dictionary<T, int> tally)
        where T : notnull => tally.Count == 0 ? "none" : string.Join("; ", tally.OrderByDescending(t => t.Value).Select(t => $"{t.Key}: {t.Value}"));
}
