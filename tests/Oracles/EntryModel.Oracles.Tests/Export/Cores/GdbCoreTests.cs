using EntryModel.Cli;
using EntryModel.Export.Core;
using EntryModel.Oracles.Tests.Export.Images;
using EntryModel.Scenarios.Catalog;
using EntryModel.Scenarios.Judging;
using EntryModel.Scenarios.Running;
using EntryModel.Unwinding;

namespace EntryModel.Oracles.Tests.Export.Cores;

/// <summary>
/// Oracle: gdb on core files of the machine (<c>run --core-at</c>) with the exported image, held
/// against ground truth and the model's unwinders. At dump_stack in the seed scenario (its first
/// instruction, and the DUMP_STACK it makes), for every strategy, gdb's <c>bt</c> follows ground truth
/// down to the entry code that called the fault handler. There the strategies part:
/// <list type="bullet">
/// <item>with frame pointers and no CFI, gdb's prologue analyser finds no <c>push %rbp; mov %rsp,%rbp</c>
/// at the entry code's start, takes it as frameless and reads its return address from the word at its
/// stack pointer (pt_regs' r15 slot, or the pt-regs-frame strategy's fake frame's saved %rbp): one frame
/// of nonsense, then it stops, where the strategy's own unwinder goes on to the interrupted function;</item>
/// <item>with <c>orc</c>, the <c>.eh_frame</c> from the ORC rows takes gdb through the pt_regs (the entry
/// code a signal frame, "&lt;signal handler called&gt;") to the interrupted function and down to the
/// syscall entry, as the ORC unwinder does; at the user-mode pt_regs, where the kernel's unwinder ends,
/// gdb goes on into the user program that made the system call.</item>
/// </list>
/// And the seed thread's reason for <c>pt_regs+1</c>: gdb names a return address by the byte before
/// it, so the fake frame's <c>pt_regs+1</c> is named <c>pt_regs</c>, and a plain <c>pt_regs</c> is named by
/// whatever holds the byte before the marker: nothing in the model's layout (alignment padding), the
/// function before it where one ends flush against it.
/// </summary>
[TestFixture]
public sealed class GdbCoreTests
{
    private const string Scenario = "read-page-fault";

    /// <summary>The entry code that calls the seed's fault handler.</summary>
    private const string EntryFunction = "async_page_fault";

    private string dir = null!;

    [OneTimeSetUp]
    public void MakeDirectory() => dir = Directory.CreateTempSubdirectory("entrymodel-cores-").FullName;

    [OneTimeTearDown]
    public void DeleteDirectory() => Directory.Delete(dir, recursive: true);

    /// <summary>Every strategy at the two points of the seed's dump: dump_stack's first instruction, and the DUMP_STACK hypercall it makes (from show_stack).</summary>
    public static IEnumerable<TestCaseData> StrategiesAndPoints() =>
        ExportedImages.Strategies.SelectMany(s => new[] { new TestCaseData(s, "dump_stack"), new TestCaseData(s, CorePoint.Dump) });

    [TestCaseSource(nameof(StrategiesAndPoints))]
    public void Gdb_bt_follows_ground_truth_to_the_entry_code_and_parts_where_the_strategy_says(string strategy, string point)
    {
        var image = ExportedImages.Image(strategy);
        var (gdb, stop) = CoreAt(strategy, point);
        var truth = ModelFrames.Truth(image, stop.Cpu.Rip, stop.Capture.GroundTruth);
        var names = ModelFrames.Names(truth);
        int entry = names.ToList().IndexOf(EntryFunction);
        TestContext.Out.WriteLine($"{strategy}: gdb   {gdb}");
        TestContext.Out.WriteLine($"{strategy}: truth {string.Join(" | ", names)}");

        Assert.That(entry, Is.GreaterThan(0), $"ground truth passes through {EntryFunction}");
        Assert.That(gdb.Frames[0], Is.EqualTo(new GdbFrame(names[0], stop.Cpu.Rip)), "gdb stands where NT_PRSTATUS says the machine stopped");
        Assert.That(gdb.Functions.Take(entry), Is.EqualTo(names.Take(entry)), "down to the entry code's callee, gdb and ground truth agree");
        if (image.Orc is not null)
        {
            Assert.That(gdb.KernelFunctions, Is.EqualTo(ModelFrames.AsGdbWithSignalFrames(truth)), ".eh_frame takes gdb through pt_regs (signal frames) to the interrupted function and on to the syscall entry");
            Assert.That(gdb.Functions[entry], Is.EqualTo(GdbFrame.SignalFrame));
            Assert.That(gdb.UserFrames.Select(f => f.Function).FirstOrDefault(), Is.EqualTo(ModelFrames.Name(image, UserRip(stop))),
                "past the user-mode pt_regs gdb goes on into the program that made the system call, where the kernel's unwinder ends");
            return;
        }

        // The handler's return address into the entry code sits at this slot; gdb's frameless entry frame starts just above it.
        Assert.That(gdb.Functions[entry], Is.EqualTo(EntryFunction));
        var call = stop.Capture.GroundTruth.First(f => f.Kind == EntryModel.Machine.GroundTruth.TrueFrameKind.Call && ModelFrames.Name(image, f.ReturnAddress - 1) == EntryFunction);
        Assert.That(stop.Capture.Start.Memory.TryReadUInt64(call.Slot + 8, out ulong word), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(gdb.Frames, Has.Count.EqualTo(entry + 2), "one frame past the entry code, then gdb stops");
            Assert.That(gdb.Frames[entry + 1].Pc, Is.EqualTo(word), "gdb's return address for the entry code is the word at its stack pointer");
            Assert.That(gdb.Frames[entry + 1].Function, Is.Not.EqualTo(names[entry + 1]), $"gdb does not reach the interrupted {names[entry + 1]}");
        });
        if (image.Defines.Contains("CONFIG_PT_REGS_FRAME"))
        {
            // That word is the fake frame's first: the saved %rbp, which the handler's own frame record points at.
            Assert.That(stop.Capture.Start.Memory.TryReadUInt64(call.Slot - 8, out ulong fakeFrame), Is.True);
            Assert.That(fakeFrame, Is.EqualTo(call.Slot + 8), "the handler's saved %rbp is the fake frame");
        }
    }

    /// <summary>
    /// Where each unwinder the strategy supports parts from gdb at dump_stack's first instruction, and why:
    /// <list type="bullet">
    /// <item>every frame-pointer walk (frame and the strategies' own marked walks) at frame 1: %rbp still
    /// points at the caller's frame there (FRAME_BEGIN has not run), so the walk reads the caller's own
    /// return address and skips the caller, which gdb's prologue analysis (return address at %rsp on a
    /// function's first instruction) names;</item>
    /// <item>orc: nowhere in the kernel, gdb reads the same rows as CFI;</item>
    /// <item>guess: not before the entry code (a scan of every text address on the stack, stale ones included).</item>
    /// </list>
    /// </summary>
    [TestCaseSource(typeof(ExportedImages), nameof(ExportedImages.Strategies))]
    public void Each_unwinder_against_gdb_at_dump_stacks_first_instruction(string strategy)
    {
        var image = ExportedImages.Image(strategy);
        var (gdb, stop) = CoreAt(strategy, "dump_stack");
        var truth = ModelFrames.Names(ModelFrames.Truth(image, stop.Cpu.Rip, stop.Capture.GroundTruth));
        int entry = truth.ToList().IndexOf(EntryFunction);
        var seen = GdbView(image, gdb);
        Assert.Multiple(() =>
        {
            foreach (string unwinder in UnwinderCatalog.For(image))
            {
                var walk = ModelFrames.Unwound(image, unwinder, stop.Capture);
                var frames = image.Orc is null ? ModelFrames.Names(walk) : ModelFrames.AsGdbWithSignalFrames(walk);
                int differ = FirstDifference(frames, seen);
                TestContext.Out.WriteLine($"{strategy}/{unwinder}: {(differ < 0 ? "same as gdb" : $"differs from gdb at frame {differ}: unwinder {At(frames, differ)}, gdb {At(seen, differ)}")} [{string.Join(" | ", frames)}]");
                switch (unwinder)
                {
                    case "orc":
                        Assert.That(differ, Is.EqualTo(-1), "orc and gdb's .eh_frame walk agree frame for frame");
                        break;
                    case "guess":
                        Assert.That(differ, Is.GreaterThanOrEqualTo(entry), "the scan agrees with gdb down to the entry code");
                        break;
                    default:
                        Assert.That(differ, Is.EqualTo(1), $"{unwinder} parts from gdb at the running function's caller");
                        Assert.That((At(seen, 1), At(frames, 1)), Is.EqualTo((truth[1], truth[2])), $"gdb names the caller; {unwinder} skips it for the caller's caller");
                        break;
                }
            }
        });
    }

    /// <summary>
    /// At the DUMP_STACK hypercall (show_stack, every frame set up) gdb parts from the strategy's own
    /// unwinder at the frame after the entry code (frame pointers) or nowhere in the kernel (orc). What
    /// the own unwinder has there is what the model's judge says of it: the interrupted function when
    /// its walk is exact, and, when the judge calls it wrong (the plain frame walk of <c>none</c> and
    /// <c>task-flag</c>, the seed's bug), the interrupted function's caller: the walk skipped it.
    /// </summary>
    [TestCaseSource(typeof(ExportedImages), nameof(ExportedImages.Strategies))]
    public void The_strategys_own_unwinder_against_gdb_at_the_dump(string strategy)
    {
        var image = ExportedImages.Image(strategy);
        var (gdb, stop) = CoreAt(strategy, CorePoint.Dump);
        var truth = ModelFrames.Names(ModelFrames.Truth(image, stop.Cpu.Rip, stop.Capture.GroundTruth));
        int entry = truth.ToList().IndexOf(EntryFunction);
        string own = UnwinderCatalog.Own(image, out _) ?? throw new AssertionException($"{strategy} has no unwinder of its own");
        var walk = ModelFrames.Unwound(image, own, stop.Capture);
        var verdict = new StackJudge(image).Judge(stop.Capture, own).Verdict;
        TestContext.Out.WriteLine($"{strategy}/{own} ({verdict}): [{string.Join(" | ", ModelFrames.Names(walk))}]; gdb: {gdb}");

        var expected = verdict == TraceVerdict.Exact ? truth : [.. truth.Where((_, i) => i != entry + 1)];
        Assert.That(verdict, Is.AnyOf(TraceVerdict.Exact, TraceVerdict.Wrong));
        Assert.That(ModelFrames.Names(walk), Is.EqualTo(expected), verdict == TraceVerdict.Exact ? $"{own} is ground truth" : $"{own} skips the interrupted {truth[entry + 1]}");
        var frames = image.Orc is null ? ModelFrames.Names(walk) : ModelFrames.AsGdbWithSignalFrames(walk);
        Assert.That(FirstDifference(frames, GdbView(image, gdb)), Is.EqualTo(image.Orc is null ? entry + 1 : -1),
            image.Orc is null ? $"{own} goes on past the entry code where gdb cannot" : "with .eh_frame gdb and the ORC unwinder agree frame for frame");
    }

    [Test]
    public void Gdb_names_the_fake_frames_pt_regs_plus_1_pt_regs_and_a_plain_pt_regs_by_the_byte_before_it()
    {
        var image = ExportedImages.Image("pt-regs-frame");
        ulong ptRegs = image.Symbols["pt_regs"].Address;
        Assert.That(ScenarioCatalog.TryGet(Scenario, out var scenario), Is.True);
        var session = scenario!.Prepare(image);

        // Stop in the entry code right after it pushed the fake frame's return address: gdb's frame #0 is that code, frameless, so the next frame's pc is the pushed word.
        var entry = image.Symbols[EntryFunction];
        foreach (var line in image.Lines.Where(l => entry.Contains(l.Address) && l.Text.Contains("$pt_regs+1", StringComparison.Ordinal)))
        {
            session.Machine.AddBreakpoint(line.Address + (ulong)line.Length);
        }

        var stopped = session.Run();
        ulong rsp = session.Machine.Cpu[EntryModel.Machine.Cpu.Gpr.Rsp];
        Assert.That(stopped.Kind, Is.EqualTo(EntryModel.Machine.Execution.StopKind.Breakpoint), stopped.ToString());
        Assert.That(session.Machine.Memory.ReadUInt64(rsp), Is.EqualTo(ptRegs + 1));

        string plusOne = Path.Combine(dir, "pt-regs-plus-1.core");
        ElfCoreWriter.WriteFile(MachineCore.Of(session.Machine, session.Machine.Cpu), plusOne);
        var gdb = GdbBacktrace.Of(ExportedImages.PathOf(image), plusOne);
        Assert.That(gdb.Frames[0].Function, Is.EqualTo(EntryFunction));
        Assert.That(gdb.Frames[1], Is.EqualTo(new GdbFrame("pt_regs", ptRegs + 1)), "gdb looks pt_regs+1 up at pt_regs: the fake frame is named pt_regs");

        // The variant the +1 avoids: the marker's own address, looked up at the byte before it.
        session.Machine.Memory.WriteUInt64(rsp, ptRegs);
        string plain = Path.Combine(dir, "pt-regs-plain.core");
        ElfCoreWriter.WriteFile(MachineCore.Of(session.Machine, session.Machine.Cpu), plain);
        var wrong = GdbBacktrace.Of(ExportedImages.PathOf(image), plain);
        string before = image.Symbols.TryLookup(ptRegs - 1, out var symbol, out _) ? symbol.Name : "??";
        Assert.That(wrong.Frames[1].Pc, Is.EqualTo(ptRegs));
        Assert.That(wrong.Frames[1].Function, Is.EqualTo(before).And.Not.EqualTo("pt_regs"), "gdb names the frame by the byte before pt_regs, which pt_regs does not hold");

        // In the model, as in the seed's kernel, alignment padding that no ELF symbol's size covers
        // lies before pt_regs, so gdb has no name for it (the kernel's kallsyms, which lets every
        // symbol reach the next, would name the function before). Where a function ends flush
        // against the marker, gdb names the plain pt_regs by that function: the wrong function the
        // +1 avoids, while pt_regs+1 is still named pt_regs.
        string flushPath = Path.Combine(dir, "pt-regs-frame-flush.elf");
        EntryModel.Export.ElfImageWriter.WriteFile(WithFunctionEndingAt(image, ptRegs, FlushFunction), flushPath);
        var flushPlain = GdbBacktrace.Of(flushPath, plain);
        var flushPlusOne = GdbBacktrace.Of(flushPath, plusOne);
        Assert.That(flushPlain.Frames[1], Is.EqualTo(new GdbFrame(FlushFunction, ptRegs)), "a plain pt_regs is named by the function that ends where pt_regs begins");
        Assert.That(flushPlusOne.Frames[1], Is.EqualTo(new GdbFrame("pt_regs", ptRegs + 1)), "pt_regs+1 is pt_regs whatever lies before it");
        TestContext.Out.WriteLine($"pt_regs+1: {gdb}\npt_regs:   {wrong}\nflush, pt_regs: {flushPlain}\nflush, pt_regs+1: {flushPlusOne}");
    }

    /// <summary>The name of the function <see cref="WithFunctionEndingAt"/> places before pt_regs.</summary>
    private const string FlushFunction = "function_before_pt_regs";

    /// <summary>
    /// <paramref name="image"/> with one more function, <paramref name="name"/>: 16 bytes of code
    /// (nops, then ret) in the same section that end exactly at <paramref name="end"/>, where no
    /// chunk of the image lies.
    /// </summary>
    private static KernelImage WithFunctionEndingAt(KernelImage image, ulong end, string name)
    {
        const int Length = 16;
        ulong start = end - Length;
        var marker = image.Symbols.All.Single(s => s.Address == end && s.Name == "pt_regs");
        Assert.That(image.Chunks.Any(c => c.Address < end && c.End > start), Is.False, "the bytes before pt_regs hold nothing in the model");
        var code = Enumerable.Repeat((byte)0x90, Length - 1).Append((byte)0xc3).ToArray();
        var flags = image.Chunks.First(c => c.Section == marker.Section).Flags;
        return new KernelImage(
            image.Model,
            image.Strategy,
            image.Description,
            image.Defines,
            [.. image.Chunks, new ImageChunk(marker.Section, start, code, flags)],
            new SymbolTable([.. image.Symbols.All, new Symbol(name, start, Length, SymbolKind.Function, marker.Section)]),
            image.Relocations,
            image.Lines,
            image.Idt,
            image.SyscallEntry,
            image.Constants,
            image.Orc,
            image.Validation);
    }

    [Test]
    public void Run_core_at_refuses_an_unknown_point_and_says_when_the_run_never_gets_there_or_the_core_cannot_be_written()
    {
        string core = Path.Combine(dir, "never.core");
        var (code, _, error) = Cli("run", Scenario, "--strategy", "orc", "--core-at", "no_such_symbol", "-o", core);
        Assert.That(code, Is.EqualTo(EntryModelCli.UsageExitCode));
        Assert.That(error, Does.Contain("no_such_symbol"));

        (code, _, error) = Cli("run", Scenario, "--core-at", "dump_stack", "-o", core);
        Assert.That(code, Is.EqualTo(EntryModelCli.UsageExitCode), "one core is one strategy's machine");
        Assert.That(error, Does.Contain("--strategy"));

        // nmi is entry code the seed scenario never runs.
        (code, _, error) = Cli("run", Scenario, "--strategy", "orc", "--core-at", "nmi", "-o", core);
        Assert.That(code, Is.EqualTo(1));
        Assert.That(error, Does.Contain("never reached nmi"));
        Assert.That(File.Exists(core), Is.False);

        (code, _, error) = Cli("run", Scenario, "--strategy", "orc", "--core-at", "dump_stack", "-o", Path.Combine(dir, "no-such-directory", "state.core"));
        Assert.That(code, Is.EqualTo(1));
        Assert.That(error, Does.Contain("state.core: error:"));

        // The report's options have nothing to act on in a core dump: refused, not ignored.
        (code, _, error) = Cli("run", Scenario, "--strategy", "orc", "--core-at", "dump_stack", "-o", core, "--unwinder", "orc", "--regs");
        Assert.That(code, Is.EqualTo(EntryModelCli.UsageExitCode));
        Assert.That(error, Does.Contain("--unwinder, --regs"));
        Assert.That(File.Exists(core), Is.False);
    }

    private (GdbBacktrace Gdb, CorePointStop Stop) CoreAt(string strategy, string point)
    {
        string core = Path.Combine(dir, $"{strategy}-{point}.core");
        var (code, output, error) = Cli("run", Scenario, "--strategy", strategy, "--core-at", point, "-o", core);
        Assert.That(code, Is.Zero, error);
        Assert.That(output, Does.Contain("core written"));

        // The same run in process, for ground truth and the unwinders: the machine is deterministic.
        Assert.That(ScenarioCatalog.TryGet(Scenario, out var scenario), Is.True);
        var stop = CorePoint.RunTo(scenario!.Prepare(ExportedImages.Image(strategy)), point, out string? failure)
            ?? throw new AssertionException(failure ?? "no stop");
        return (GdbBacktrace.Of(ExportedImages.PathOf(strategy), core), stop);
    }

    private static (int Code, string Output, string Error) Cli(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = EntryModelCli.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>gdb's frames to hold against a kernel walk: with CFI (which goes on into user space) its kernel frames, else all it gave.</summary>
    private static IReadOnlyList<string> GdbView(KernelImage image, GdbBacktrace gdb) => image.Orc is null ? gdb.Functions : gdb.KernelFunctions;

    /// <summary>Where the system call came from: the user RIP the SYSCALL frame of ground truth saved.</summary>
    private static ulong UserRip(CorePointStop stop) =>
        stop.Capture.GroundTruth.First(f => f.Kind == EntryModel.Machine.GroundTruth.TrueFrameKind.Syscall).ReturnAddress;

    private static int FirstDifference(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        for (int i = 0; i < Math.Max(a.Count, b.Count); i++)
        {
            if (i >= a.Count || i >= b.Count || a[i] != b[i])
            {
                return i;
            }
        }

        return -1;
    }

    private static string At(IReadOnlyList<string> frames, int i) => i < frames.Count ? frames[i] : "(none)";
}
