using EntryModel.Scenarios.Running;
using System.Collections.Concurrent;
using EntryModel.Machine.Memory;
using EntryModel.Scenarios.Catalog;
using EntryModel.Unwinding;
using EntryModel.Unwinding.Image;

namespace EntryModel.Benchmarks;

/// <summary>
/// The stacks the unwinder benchmarks walk, on the default model's live machine after the seed's
/// scenario (read-page-fault) ran under the unwinder's strategy:
/// <list type="bullet">
/// <item><b>Seed</b>: the DUMP_STACK capture. Its stacks (task, IRQ, IST) are copied from the
/// capture's frozen memory back into the live <see cref="GuestMemory"/> (setup only), and the walk
/// starts from the capture's registers with the live memory and <c>machine.Stacks.For(task stack)</c>.</item>
/// <item><b>Deep</b>: the same stack grown to <see cref="DeepFrames"/> frames by nesting more calls
/// under dump_stack's callee: %rbp frame records written below the capture's stack pointer on the
/// same task stack (through <see cref="GuestMemory"/>), each with 0..3 words of locals, whose return
/// addresses are the image's own call sites (addresses that follow a call in ordinary kernel text,
/// taken in address order), the innermost function being the one its caller's call targets. Above
/// them the seed's frames stay as the entry code left them, so each strategy's mark is walked: the
/// page fault's and the syscall's fake pt_regs frames (pt-regs-frame), encoded %rbp (encoded-rbp),
/// entry records (section). The task-flag strategy marks nothing on the stack (its flag lives in
/// the task struct and only matters for a sleeping task), and none marks nothing at all.</item>
/// </list>
/// Workloads are built once per unwinder and shared (the summary's columns read their counts).
/// </summary>
public sealed class UnwindBenchmarkWorkload
{
    /// <summary>Frames of the deep stack, as the strategy's own unwinder walks it (frame 0 included).</summary>
    public const int DeepFrames = 64;

    public const string Scenario = "read-page-fault";

    private static readonly ConcurrentDictionary<string, UnwindBenchmarkWorkload> Cache = new(StringComparer.Ordinal);

    private UnwindBenchmarkWorkload(string unwinder, string strategy, IUnwinder walker, UnwindImage image, GuestMemory memory, UnwindStart seed, UnwindStart deep)
    {
        Unwinder = unwinder;
        Strategy = strategy;
        Walker = walker;
        Image = image;
        Memory = memory;
        Seed = seed;
        Deep = deep;
    }

    /// <summary>The strategy each unwinder belongs to: the plain walks run on the strategy without marks.</summary>
    public static IReadOnlyDictionary<string, string> StrategyOf { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["guess"] = "none",
        ["frame"] = "none",
        ["frame-ptregs"] = "pt-regs-frame",
        ["frame-encoded"] = "encoded-rbp",
        ["section"] = "section",
        ["task-flag"] = "task-flag",
        ["orc"] = "orc",
    };

    public string Unwinder { get; }

    public string Strategy { get; }

    public IUnwinder Walker { get; }

    public UnwindImage Image { get; }

    /// <summary>The live machine's memory every start reads through (host-read TLB fast path).</summary>
    public GuestMemory Memory { get; }

    public UnwindStart Seed { get; }

    public UnwindStart Deep { get; }

    /// <summary>Whether the walk's unit is a word scanned (guess) rather than a frame.</summary>
    public bool CountsWords => Unwinder == "guess";

    /// <summary>Frames the walk of the seed stack produces (frame 0 included).</summary>
    public int SeedFrames { get; private set; }

    public int DeepWalkFrames { get; private set; }

    /// <summary>Stack words from the seed's stack pointer to the top of the task stack: what the guess unwinder scans.</summary>
    public int SeedWords { get; private set; }

    public int DeepWords { get; private set; }

    /// <summary>Frames reliable mode looked at on the seed stack before accepting or refusing it, and what it said.</summary>
    public int ReliableFrames { get; private set; }

    public string ReliableOutcome { get; private set; } = string.Empty;

    public static UnwindBenchmarkWorkload For(string unwinder) => Cache.GetOrAdd(unwinder, Build);

    /// <summary>
    /// What a walk of <paramref name="start"/> produces: its frames, and the stack words a scan from
    /// the start's stack pointer covers (what the guess unwinder examines: up to the top of the task
    /// stack, which the walk must not leave).
    /// </summary>
    public (int Frames, int Words) Measure(in UnwindStart start)
    {
        var state = default(UnwindState);
        int frames = 0;
        if (Walker.Start(ref state, start))
        {
            frames = 1;
            while (Walker.NextFrame(ref state))
            {
                frames++;
            }
        }

        if (!start.Stacks.TryGet(start.Sp, out var stack) || stack.Kind != StackKind.Task || state.StackMask != stack.VisitBit || !state.Done)
        {
            throw new InvalidOperationException($"{Unwinder}: the walk from 0x{start.Sp:x} did not stay on the task stack to its end ({state.Error})");
        }

        return (frames, (int)((stack.High - start.Sp) / 8));
    }

    private static UnwindBenchmarkWorkload Build(string unwinder)
    {
        if (!StrategyOf.TryGetValue(unwinder, out string? strategy)
            || !ScenarioCatalog.TryGet(Scenario, out var scenario)
            || !StrategyCatalog.TryGet(strategy, out var kernelImage))
        {
            throw new ArgumentException($"no workload for unwinder '{unwinder}'", nameof(unwinder));
        }

        var result = scenario.Run(kernelImage);
        if (!result.OutcomeAsExpected || result.Stacks.Count != 1)
        {
            throw new InvalidOperationException($"{Scenario} under {strategy}: {result.Outcome}");
        }

        var capture = result.Stacks[0];
        var machine = result.Session.Machine;
        var memory = machine.Memory;

        // Setup only: the stacks as they were at DUMP_STACK, from the frozen capture into live memory.
        foreach (var stack in machine.Stacks.All.Where(s => s.Kind is StackKind.Task or StackKind.Irq or StackKind.Ist))
        {
            byte[] bytes = new byte[stack.Size];
            if (!capture.Start.Memory.TryRead(stack.Low, bytes))
            {
                throw new InvalidOperationException($"capture does not hold {stack}");
            }

            memory.Write(stack.Low, bytes);
        }

        var task = result.Session.Kernel.Tasks.All.Single(t => t.Stack.HoldsPointer(capture.Start.Sp));
        var provider = machine.Stacks.For(task.Stack);
        var image = UnwindImage.For(kernelImage);
        var walker = UnwinderCatalog.Create(unwinder, image);
        var seed = capture.Start.Over(memory, provider);

        // The live copy must walk exactly as the capture does.
        var frozenTrace = UnwindTrace.Collect(walker, capture.Start);
        var liveTrace = UnwindTrace.Collect(walker, seed);
        if (!frozenTrace.Frames.SequenceEqual(liveTrace.Frames) || liveTrace.Error != UnwindError.None || !liveTrace.Done)
        {
            throw new InvalidOperationException($"{unwinder}: the live seed stack does not walk as the capture does ({liveTrace.Frames.Count} vs {frozenTrace.Frames.Count} frames, {liveTrace.Error})");
        }

        // The deep stack is sized for the strategy's frame walk (guess scans the frame walk's stack).
        var sizing = unwinder == "guess" ? UnwinderCatalog.Create("frame", image) : walker;
        var deep = unwinder == "orc"
            ? GrowOrcStack(memory, image, seed, UnwindTrace.Collect(walker, seed), DeepFrames - UnwindTrace.Collect(walker, seed).Frames.Count + 1)
            : GrowStack(memory, image, seed, DeepFrames - UnwindTrace.Collect(sizing, seed).Frames.Count);
        var deepTrace = UnwindTrace.Collect(sizing, deep);
        if (deepTrace.Frames.Count != DeepFrames || deepTrace.Error != UnwindError.None || !deepTrace.Done)
        {
            throw new InvalidOperationException($"{sizing.Name}: the deep stack walks {deepTrace.Frames.Count} frames ({deepTrace.Error}, done={deepTrace.Done}), not {DeepFrames}");
        }

        bool marked = strategy is "pt-regs-frame" or "encoded-rbp" or "section";
        if (marked && !deepTrace.Frames.Any(f => f.Kind == UnwindFrameKind.Regs && !f.UserMode))
        {
            throw new InvalidOperationException($"{unwinder}: the deep stack's walk never followed the strategy's mark to an in-kernel pt_regs");
        }

        var workload = new UnwindBenchmarkWorkload(unwinder, strategy, walker, image, memory, seed, deep);
        (workload.SeedFrames, workload.SeedWords) = workload.Measure(seed);
        (workload.DeepWalkFrames, workload.DeepWords) = workload.Measure(deep);
        var reliable = new Unwinding.Reliable.ReliableWalker(image).Walk(walker, seed);
        workload.ReliableFrames = reliable.Frames.Count;
        workload.ReliableOutcome = reliable.Reliable ? "reliable" : reliable.Refusal.ToString();
        return workload;
    }

    /// <summary>Addresses that follow a call in ordinary kernel text (not entry code), in address order: the deep stacks' return addresses.</summary>
    private static IEnumerable<ulong> KernelCallSites(UnwindImage image) =>
        image.Image.Lines
            .Select(l => l.Address + (ulong)l.Length)
            .Where(a => image.CallSites.TryGetTarget(a, out _) && image.Text.Contains(a) && !image.IsEntryText(a))
            .Distinct()
            .Order();

    /// <summary>
    /// The deep stack for the ORC unwinder, laid out by the image's ORC rows: the seed's innermost
    /// function (show_stack) is replaced by <paramref name="frames"/> nested functions, each at a
    /// call site whose row finds the CFA from %rsp (and the caller's %rbp, if anywhere, below the
    /// CFA): a function at return address r with row offset o has its stack pointer o below its
    /// caller's, and its caller's return address just below that. The outermost one returns to
    /// where show_stack did (dump_stack), so above them the seed's frames are walked as they were.
    /// Only return-address slots are written, all below the seed's stack pointer.
    /// </summary>
    private static UnwindStart GrowOrcStack(GuestMemory memory, UnwindImage image, in UnwindStart seed, UnwindTrace seedTrace, int frames)
    {
        var orc = image.Orc ?? throw new InvalidOperationException("the orc image has no ORC tables");
        static bool Usable(OrcEntry e) => e.SpReg == OrcRegister.Sp && e.Type == OrcType.Call && e.SpOffset >= 8 && e.BpReg is OrcRegister.Undefined or OrcRegister.PrevSp;
        var candidates = KernelCallSites(image)
            .Select(a => (Ip: a, AtCall: orc.TryFind(a - 1, out var r) ? r : OrcEntry.Undefined, Exact: orc.TryFind(a, out var x) ? x : OrcEntry.Undefined))
            .Where(c => Usable(c.AtCall) && Usable(c.Exact))
            .ToList();
        // show_stack's CFA: just above the slot its return address (frame 1) was read from.
        ulong callerSp = seedTrace.Frames[1].Slot + 8;
        ulong room = callerSp - seed.Sp + 8;
        var outermost = candidates.FirstOrDefault(c => (ulong)c.AtCall.SpOffset > room);
        if (candidates.Count == 0 || outermost.Ip == 0 || frames < 1)
        {
            throw new InvalidOperationException($"cannot lay out {frames} ORC frames over {candidates.Count} call sites");
        }

        // Outermost first: each frame's stack pointer is its CFA (the caller's stack pointer) minus its row's offset.
        ulong cfa = callerSp;
        ulong calleeRet = 0;
        ulong ip = 0;
        for (int j = frames; j >= 1; j--)
        {
            var c = j == frames ? outermost : candidates[j % candidates.Count];
            if (j < frames)
            {
                memory.WriteUInt64(cfa - 8, calleeRet);
            }

            ip = c.Ip;
            cfa -= (ulong)(j == 1 ? c.Exact.SpOffset : c.AtCall.SpOffset);
            calleeRet = ip;
        }

        return UnwindStart.FromRegisters(ip, cfa, seed.Bp, memory, seed.Stacks, seed.TaskStruct);
    }

    /// <summary>
    /// Nests <paramref name="extra"/> calls under the function <paramref name="seed"/> stopped in:
    /// frame records below its stack pointer, the outermost linking to the seed's %rbp. Returns the
    /// registers of the innermost function.
    /// </summary>
    private static UnwindStart GrowStack(GuestMemory memory, UnwindImage image, in UnwindStart seed, int extra)
    {
        ulong[] callSites = [.. KernelCallSites(image)];
        if (extra < 1 || callSites.Length == 0)
        {
            throw new InvalidOperationException($"cannot nest {extra} calls over {callSites.Length} call sites");
        }

        ulong sp = seed.Sp;
        ulong callerBp = seed.Bp;
        ulong ret = 0;
        for (int i = 0; i < extra; i++)
        {
            // The frame of the i-th nested function: its locals (0..3 words), then its record.
            int locals = i % 4;
            sp -= (ulong)locals * 8;
            for (int w = 0; w < locals; w++)
            {
                memory.WriteUInt64(sp + ((ulong)w * 8), w % 2 == 0 ? (ulong)(i * 40) + 7 : callerBp);
            }

            ret = callSites[i % callSites.Length];
            sp -= 16;
            memory.WriteUInt64(sp, callerBp);
            memory.WriteUInt64(sp + 8, ret);
            callerBp = sp;
        }

        // The innermost function's own two words of locals, then its registers: it runs where its
        // caller's call went (or, for an indirect call, at the call site).
        sp -= 16;
        memory.WriteUInt64(sp, 0);
        memory.WriteUInt64(sp + 8, (ulong)extra);
        ulong ip = image.CallSites.TryGetTarget(ret, out ulong target) && target != CallSites.Indirect ? target : ret;
        return UnwindStart.FromRegisters(ip, sp, callerBp, memory, seed.Stacks, seed.TaskStruct);
    }
}
