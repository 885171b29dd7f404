using System.Globalization;
using CsCheck;
using EntryModel.Unwinding.Reliable;
using EntryModel.Unwinding.Tests.Support;
using static EntryModel.Unwinding.Tests.Support.Frames;
using static EntryModel.Unwinding.Tests.Support.SyntheticKernel;

namespace EntryModel.Unwinding.Tests.Properties;

/// <summary>
/// Reliable mode over the <c>orc</c> unwinder on the ORC scenes with corrupted stack words: it
/// never throws, every walk ends, and whenever it vouches for a trace, that trace is the scene's
/// truth frame for frame. The default model has no ORC tables yet, so the scenes stand in for its
/// captures (<see cref="SoundnessProperties"/> judges the other unwinders there); the scenes with
/// in-kernel pt_regs must never be vouched for at all.
/// </summary>
/// <remarks>
/// What is never written, because no unwinder could tell it from the truth: a return address that
/// follows a call (none of the value classes makes one), a forged but valid pointer up the stack
/// to a genuine frame (the word after it a return address that follows a call) or to genuine
/// pt_regs, and the task's top pt_regs, which are the end of the walk itself.
/// </remarks>
public sealed class OrcSoundnessProperties
{
    public const int Cases = 10_000;

    [Test]
    public void Reliable_orc_on_corrupted_scenes_never_throws_and_vouches_only_for_the_truth()
    {
        var seeds = Seeds();
        var walker = new ReliableWalker(OrcKernel.Unwind);
        var corruption = Gen.Select(Gen.Int[0, 100_000], Gen.Int[0, 11], Gen.Int[1, 40], Gen.Int[0, 3], Gen.ULong, (t, c, d, v, r) => new WordCorruption(t, c, d, v, r));
        int cases = 0, vouched = 0;

        Gen.Select(Gen.Int[0, seeds.Length - 1], corruption.Array[1, 3]).Sample(
            (index, corruptions) =>
            {
                Interlocked.Increment(ref cases);
                var seed = seeds[index];
                var start = seed.Corrupt(corruptions);
                var unwinder = OrcKernel.Unwinder();

                var trace = UnwindTrace.Collect(unwinder, start with { Memory = new ReadBudgetMemory(start.Memory, 50_000) });
                var result = walker.Walk(unwinder, start with { Memory = new ReadBudgetMemory(start.Memory, 50_000) });

                // In batches, over a reader that shows its pages too: the frames and the end of the step-by-step walk.
                Walks.ThrowUnlessBatchesWalkAsSteps(unwinder, start);
                Walks.ThrowUnlessBatchesWalkAsSteps(unwinder, start with { Memory = new WindowMemory(start.Memory) });

                if (trace.Frames.Count >= UnwindTrace.MaxFrames)
                {
                    throw new InvalidOperationException("the walk did not end");
                }

                if (!result.Reliable)
                {
                    return;
                }

                Interlocked.Increment(ref vouched);
                if (!result.Frames.SequenceEqual(seed.Truth))
                {
                    throw new InvalidOperationException($"vouched for [{Text(result.Frames)}] but the truth is [{Text(seed.Truth)}]");
                }
            },
            iter: Cases,
            print: t => $"{seeds[t.Item1].Name}: {seeds[t.Item1].Describe(t.Item2)}");

        Assert.That(cases, Is.GreaterThanOrEqualTo(Cases));
        Assert.That(vouched, Is.Positive, "some corruptions leave the walk intact");
        TestContext.Out.WriteLine($"orc: {cases} cases over {seeds.Length} scenes, {vouched} vouched for");
    }

    [Test]
    public void Intact_scenes_walk_to_their_truth_and_only_those_without_in_kernel_regs_are_vouched_for()
    {
        var walker = new ReliableWalker(OrcKernel.Unwind);
        foreach (var seed in Seeds())
        {
            var trace = OrcKernel.Walk(seed.Scene.Start);
            var result = walker.Walk(OrcKernel.Unwinder(), seed.Scene.Start);

            Assert.That(trace.Frames, Is.EqualTo(seed.Truth), seed.Name);
            Assert.That(result.Reliable, Is.EqualTo(!seed.Truth.Any(f => f.Kind == UnwindFrameKind.Regs && !f.UserMode)), seed.Name);
        }
    }

    private static string Text(IEnumerable<UnwindFrame> frames) =>
        string.Join(", ", frames.Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.Kind} 0x{f.Ip:x}@0x{f.Slot:x}")));

    private static OrcSeed[] Seeds()
    {
        var syscall = Scenes.Syscall();
        var frameless = OrcScenes.FramelessCaller();
        var sleeping = Scenes.Sleeping();
        var thread = OrcScenes.KernelThreadAtEndHint();
        var topRegsThread = Scenes.KernelThread();
        var fault = Scenes.PageFault(Marks.None);
        var irq = Scenes.Irq(Marks.None);
        var ist = Scenes.Ist(Marks.None);
        var nmi = OrcScenes.NmiInEntry();
        var atEntry = OrcScenes.PageFaultInPrologue(pushedBp: false);
        var afterPush = OrcScenes.PageFaultInPrologue(pushedBp: true);
        return
        [
            new("syscall", syscall, [Current(LeafRunning), Call(InnerRet, syscall.InnerSlot), .. syscall.TaskTail]),
            new("frameless caller", frameless,
            [
                Current(LeafRunning), Call(TailCallerRet, frameless.InnerSlot), Call(MiddleIndirectRet, frameless.MiddleIndirectSlot),
                Call(HandlerRet, frameless.HandlerSlot), Call(SyscallEntryRet, frameless.SyscallSlot), Regs(UserRip, frameless.UserRegs, user: true),
            ]),
            new("sleeping", sleeping, Scenes.SleepingFrames(sleeping)),
            new("kernel thread at its end hint", thread, [Current(Middle + 0x10), Call(HandlerRet, thread.HandlerSlot), Call(UnrecordedEntryRet, thread.EntrySlot)]),
            new("kernel thread at its top pt_regs", topRegsThread, [Current(Middle + 0x10), Call(HandlerRet, topRegsThread.HandlerSlot), Call(SyscallEntryRet, topRegsThread.SyscallSlot)]),
            new("page fault", fault, [Current(HandlerDump), Call(PageFaultEntryRet, fault.EntrySlot), Regs(InnerFault, fault.KernelRegs, user: false), .. fault.TaskTail]),
            new("irq", irq, [Current(HandlerDump, StackKind.Irq), Call(IrqEntryRet, irq.EntrySlot, StackKind.Irq), Regs(InnerFault, irq.KernelRegs, user: false), .. irq.TaskTail]),
            new("ist", ist, [Current(HandlerDump, StackKind.Ist), Call(PageFaultEntryRet, ist.EntrySlot, StackKind.Ist), Regs(InnerFault, ist.KernelRegs, user: false, StackKind.Ist), .. ist.TaskTail]),
            new("nmi in entry", nmi,
            [
                Current(HandlerDump, StackKind.Ist), Call(PageFaultEntryRet, nmi.EntrySlot, StackKind.Ist), Regs(PageFaultEntry, nmi.KernelRegs, user: false, StackKind.Ist),
                Regs(InnerFault, nmi.IrqLinkSlot - PtRegsRip, user: false), .. nmi.TaskTail,
            ]),
            new("fault at a first byte", atEntry, [Current(HandlerDump), Call(PageFaultEntryRet, atEntry.EntrySlot), Regs(Inner, atEntry.KernelRegs, user: false), .. atEntry.TaskTail]),
            new("fault after push %rbp", afterPush, [Current(HandlerDump), Call(PageFaultEntryRet, afterPush.EntrySlot), Regs(Inner + 1, afterPush.KernelRegs, user: false), .. afterPush.TaskTail]),
        ];
    }

    /// <summary>A scene, its truth, the stack words that may be overwritten and the values to overwrite them with.</summary>
    private sealed class OrcSeed : CorruptionPlan
    {
        private static readonly StackInfo[] Stacks = [TestStacks.Task, TestStacks.Irq, TestStacks.Ist];

        private readonly WordMemory memory = new();
        private readonly HashSet<ulong> genuineRegs;

        public OrcSeed(string name, Scene scene, UnwindFrame[] truth)
            : base(OrcKernel.Unwind, PtRegsMarkerRet)
        {
            Name = name;
            Scene = scene;
            Truth = truth;

            // A frozen copy: the scene's memory counts its reads, and every case reads this one.
            foreach (var stack in Stacks)
            {
                for (ulong a = stack.Low; a < stack.High; a += 8)
                {
                    if (scene.Memory.TryReadUInt64(a, out ulong v))
                    {
                        memory.Map(a, v);
                    }
                }
            }

            var start = scene.Start;
            ulong from = start.Kind == UnwindStartKind.Registers ? start.Sp : start.Address;
            var lows = new Dictionary<StackInfo, ulong>();
            foreach (var stack in Stacks.Where(s => s.Contains(from) || s.Contains(from - 1)))
            {
                lows[stack] = from;
            }

            foreach (var frame in truth.Where(f => f.Slot != 0))
            {
                var stack = Stacks.First(s => s.Contains(frame.Slot));
                lows.TryAdd(stack, Math.Max(stack.Low, frame.Slot - 0x40));
            }

            ulong taskTop = TestStacks.Task.High - (ulong)SizeOfPtRegs;
            genuineRegs = [.. truth.Where(f => f.Kind == UnwindFrameKind.Regs).Select(f => f.Regs), taskTop];
            Targets = [.. lows.SelectMany(s => Words(s.Value & ~7UL, s.Key.High)).Where(a => a < taskTop || a >= TestStacks.Task.High)];
        }

        public string Name { get; }

        public Scene Scene { get; }

        public UnwindFrame[] Truth { get; }

        protected override IReadOnlyList<StackInfo> TargetStacks => Stacks;

        public UnwindStart Corrupt(WordCorruption[] corruptions) =>
            Scene.Start with { Memory = new OverlayMemory(memory, Overrides(corruptions)) };

        /// <summary>Whether <paramref name="value"/> at <paramref name="target"/> would be a valid pointer up the stack to a genuine frame or pt_regs.</summary>
        protected override bool IsForgedPointer(ulong? value, ulong target)
        {
            if (value is not { } v || v <= target && Stacks.Any(s => s.Contains(target) && s.Contains(v)))
            {
                return false;
            }

            var unwind = OrcKernel.Unwind;
            bool frame = memory.TryReadUInt64(v + 8, out ulong ret) && (unwind.CallSites.TryGetTarget(ret, out _) || ret == PtRegsMarkerRet);
            return frame || genuineRegs.Contains(v) || genuineRegs.Contains(v - 1) || genuineRegs.Contains(v - PtRegsRip);
        }

        /// <summary>Class 10 points at another stack's top words (ORC crosses stacks by rows, not links); class 11 draws selectors.</summary>
        protected override ulong ExtraValue(WordCorruption c, ulong target) => c.Class == 10
            ? Stacks[c.Variant % Stacks.Length].High - ((ulong)c.Distance * 8)
            : c.Variant switch { 0 => KernelCs, 1 => UserCs, 2 => UserSs, _ => 3 };
    }
}
