using System.Globalization;
using CsCheck;
using EntryModel.Scenarios.Judging;
using EntryModel.Unwinding.Tests.Support;

namespace EntryModel.Unwinding.Tests.Properties;

/// <summary>How a chosen stack word of a real capture is overwritten.</summary>
internal readonly record struct WordCorruption(int Target, int Class, int Distance, int Variant, ulong Random);

/// <summary>
/// Reliable mode on the default model's real machine states with corrupted stack words: it never
/// throws, and whenever it vouches for a trace, that trace is the capture's ground truth exactly.
/// Every walk also goes the same through a reader that shows its pages (<see cref="IMemoryReader.Window"/>),
/// and in batches (<see cref="IUnwinder.NextFrames"/>) as step by step.
/// </summary>
/// <remarks>
/// <para>
/// Each unwinder is judged on every captured state of every strategy's image: on an image whose
/// strategy does not make its marks (frame-encoded on the none image, which would otherwise vouch
/// for task a without its interrupt frame even on an intact stack), it cannot vouch at all
/// (<see cref="IUnwinder.CanVouch"/>), as the kernel pairs its unwinder with its config.
/// </para>
/// <para>
/// What is never written, because no unwinder could tell it from the truth:
/// a genuine return address (one that follows a call) in a return-address slot: a forged but
/// valid return address cannot be detected by any frame-pointer unwinder; likewise a forged but
/// valid pointer up the stack, to a genuine frame record or pt_regs (see
/// <c>IsForgedPointer</c>); and the words of the task's top pt_regs, which are the end of the
/// walk itself: their RIP, RSP and RBP are user state, any value of which is possible, and a
/// kernel CS there is how a kernel thread's stack ends (the kernel's is_last_task_frame rule).
/// Everything else is fair: random words, zero, unreadable words, stack addresses below, at
/// and above the word (aligned, odd as an encoded pointer, unaligned), the stacks' bounds, other
/// stacks, user addresses, CS-like small values, and kernel text that follows no call
/// (<c>pt_regs+1</c> among it).
/// </para>
/// </remarks>
public sealed class SoundnessProperties
{
    /// <summary>Cases per unwinder.</summary>
    public const int Cases = 10_000;

    private static readonly string[] Unwinders = [.. UnwinderCatalog.Names];

    [TestCaseSource(nameof(Unwinders))]
    public void Reliable_mode_on_corrupted_real_stacks_never_throws_and_vouches_only_for_the_ground_truth(string unwinder)
    {
        var states = MachineStates.All.Select(s => new CorruptibleState(s)).ToArray();
        Assert.That(states.Select(s => s.State.Image.Strategy).Distinct().Count(), Is.EqualTo(6), "every strategy's captures");
        var corruption = Gen.Select(Gen.Int[0, 100_000], Gen.Int[0, 10], Gen.Int[1, 40], Gen.Int[0, 3], Gen.ULong, (t, c, d, v, r) => new WordCorruption(t, c, d, v, r));
        int cases = 0, vouched = 0;

        Gen.Select(Gen.Int[0, states.Length - 1], corruption.Array[1, 3]).Sample(
            (index, corruptions) =>
            {
                Interlocked.Increment(ref cases);
                var state = states[index];
                var corrupted = state.Corrupt(corruptions);
                var start = corrupted with { Memory = new ReadBudgetMemory(corrupted.Memory, 50_000) };
                var walker = UnwinderCatalog.Create(unwinder, state.State.Unwind);

                var trace = UnwindTrace.Collect(walker, start);
                var result = state.State.Walker.Walk(walker, start);

                // The same walk reading from shown pages where it can: the same trace.
                var shown = UnwindTrace.Collect(walker, start with { Memory = new WindowMemory(corrupted.Memory) });
                if (!shown.Frames.SequenceEqual(trace.Frames) || (shown.Done, shown.Error, shown.Caveats) != (trace.Done, trace.Error, trace.Caveats))
                {
                    throw new InvalidOperationException($"through shown pages the walk went otherwise: {shown.Frames.Count} frames, {shown.Error}, not {trace.Frames.Count}, {trace.Error}");
                }

                // In batches, over both readers: the frames and the end of the step-by-step walk.
                Walks.ThrowUnlessBatchesWalkAsSteps(walker, start);
                Walks.ThrowUnlessBatchesWalkAsSteps(walker, start with { Memory = new WindowMemory(corrupted.Memory) });

                if (trace.Frames.Count >= UnwindTrace.MaxFrames)
                {
                    throw new InvalidOperationException("the walk did not end");
                }

                if (!result.Reliable)
                {
                    return;
                }

                Interlocked.Increment(ref vouched);
                var frames = result.Frames.Where(f => f.Kind != UnwindFrameKind.Current).Select(ExpectedFrame.Of).ToArray();
                if (!frames.SequenceEqual(state.State.Truth))
                {
                    throw new InvalidOperationException($"vouched for [{Text(frames)}] but the truth is [{Text(state.State.Truth)}]");
                }
            },
            iter: Cases,
            print: t => $"{states[t.Item1].State}: {states[t.Item1].Describe(t.Item2)}");

        Assert.That(cases, Is.GreaterThanOrEqualTo(Cases));
        TestContext.Out.WriteLine($"{unwinder}: {cases} cases over {states.Length} captured stacks, {vouched} vouched for");
    }

    private static string Text(IEnumerable<ExpectedFrame> frames) =>
        string.Join(", ", frames.Select(f => string.Create(CultureInfo.InvariantCulture, $"{(f.Boundary ? f.UserMode ? "user regs " : "kernel regs " : string.Empty)}0x{f.Ip:x}")));

    /// <summary>A captured state with the stack words that may be overwritten and the values to overwrite them with.</summary>
    private sealed class CorruptibleState : CorruptionPlan
    {
        private readonly StackInfo[] stacks;
        private readonly HashSet<ulong> genuineRegs;

        public CorruptibleState(MachineState state)
            : base(state.Unwind, state.Unwind.PtRegsMarkerReturn)
        {
            State = state;
            var start = state.Capture.Start;
            var provider = start.Stacks;
            ulong from = start.Kind == UnwindStartKind.Registers ? start.Sp : start.Address;
            var lows = new Dictionary<StackInfo, ulong>();
            if (provider.TryGet(from, out var first) || provider.TryGet(from - 1, out first))
            {
                lows[first] = from;
            }

            foreach (var frame in state.Capture.GroundTruth.Where(f => f.Slot != 0))
            {
                if (provider.TryGet(frame.Slot, out var stack) && !lows.ContainsKey(stack))
                {
                    lows[stack] = Math.Max(stack.Low, frame.Slot - 0x40);
                }
            }

            stacks = [.. lows.Keys];
            ulong ripOffset = (ulong)state.Unwind.PtRegs.Ip;
            ulong ptRegsSize = (ulong)state.Unwind.PtRegs.Size;
            var taskTop = stacks.Where(k => k.Kind == StackKind.Task).Select(k => k.High - ptRegsSize).ToArray();
            genuineRegs = [.. state.Capture.GroundTruth.Where(f => f.IsBoundary && f.Slot != 0).Select(f => f.Slot - ripOffset).Concat(taskTop)];
            Targets = [.. lows.SelectMany(s => Words(s.Value & ~7UL, s.Key.High)).Where(a => !taskTop.Any(top => a >= top && a < top + ptRegsSize))];
        }

        public MachineState State { get; }

        protected override IReadOnlyList<StackInfo> TargetStacks => stacks;

        public UnwindStart Corrupt(WordCorruption[] corruptions)
        {
            var start = State.Capture.Start;
            return start with { Memory = new OverlayMemory(start.Memory, Overrides(corruptions)) };
        }

        /// <summary>
        /// Whether <paramref name="value"/> written at <paramref name="target"/> would be a forged
        /// but valid pointer up the stack: to a genuine frame record (the word after it is a return
        /// address that follows a call, or the fake frame's <c>pt_regs+1</c>), or to a genuine
        /// pt_regs (plainly or encoded with the low bit). Following it skips the frames between
        /// along a chain that is valid from there on; where the skipped caller called indirectly,
        /// no frame-pointer unwinder can tell, as with a forged return address. Pointers down the
        /// stack, at the word itself, or anywhere else stay in: direction checks must catch them.
        /// </summary>
        protected override bool IsForgedPointer(ulong? value, ulong target)
        {
            if (value is not { } v || v <= target && stacks.Any(s => s.Contains(target) && s.Contains(v)))
            {
                return false;
            }

            var memory = State.Capture.Start.Memory;
            var unwind = State.Unwind;
            bool record = memory.TryReadUInt64(v + 8, out ulong ret)
                && (unwind.CallSites.TryGetTarget(ret, out _) || (ret == unwind.PtRegsMarkerReturn && ret != 0));
            return record || genuineRegs.Contains(v) || genuineRegs.Contains(v - 1);
        }
    }
}
