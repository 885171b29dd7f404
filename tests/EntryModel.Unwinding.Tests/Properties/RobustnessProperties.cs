using CsCheck;
using EntryModel.Unwinding.Tests.Support;

namespace EntryModel.Unwinding.Tests.Properties;

/// <summary>
/// Every unwinder on arbitrary corrupted stacks: Start and NextFrame never throw, the walk ends
/// within the stacks' total words (+2) steps, on one stack each frame's slot lies strictly above
/// the previous one's, and no stack is entered twice. Walked in batches (<see cref="IUnwinder.NextFrames"/>),
/// over the plain memory and over one that shows its pages, each walk reaches the same frames and
/// ends in the same state as step by step.
/// </summary>
public sealed class RobustnessProperties
{
    /// <summary>Cases per unwinder.</summary>
    public const int Cases = 10_000;

    /// <summary>A cap far above any bound the property states: a walk still going here hangs.</summary>
    private const int HardCap = 1_000_000;

    /// <summary>Reads allowed to one walk: far more than any walk over these few hundred words needs.</summary>
    private const int ReadBudget = 20_000;

    private static readonly string[] Unwinders = [.. UnwinderCatalog.Names];

    [TestCaseSource(nameof(Unwinders))]
    public void Walks_over_corrupted_stacks_never_throw_end_in_bounded_steps_and_only_move_up(string unwinder)
    {
        // orc reads its rows from the ORC build of the same synthetic kernel (the default one has no tables).
        var walker = unwinder == "orc" ? OrcKernel.Unwinder() : SyntheticKernel.Unwinder(unwinder);
        int cases = 0;

        CorruptStacks.Gen.Select(CorruptStacks.From).Sample(
            world =>
            {
                Interlocked.Increment(ref cases);
                Check(walker, world);
            },
            iter: Cases,
            print: world => world.ToString());

        Assert.That(cases, Is.GreaterThanOrEqualTo(Cases));
    }

    private static void Check(IUnwinder unwinder, CorruptStacks world)
    {
        var state = default(UnwindState);
        int steps = 1;
        bool more = unwinder.Start(ref state, world.Start with { Memory = new ReadBudgetMemory(world.Memory, ReadBudget) });
        var slots = new List<(StackInfo? Stack, ulong Slot)>();
        var entered = new List<StackInfo>();
        while (more)
        {
            Record(world, state, slots, entered);
            if (steps >= HardCap)
            {
                throw new InvalidOperationException($"the walk was still going after {HardCap} steps");
            }

            more = unwinder.NextFrame(ref state);
            steps++;
        }

        if (steps > world.TotalWords + 2)
        {
            throw new InvalidOperationException($"{steps} steps over stacks of {world.TotalWords} words in all");
        }

        // Each run of frames on one stack climbs strictly; a stack, once left, is never seen again.
        for (int i = 1; i < slots.Count; i++)
        {
            var (stack, slot) = slots[i];
            var (previousStack, previousSlot) = slots[i - 1];
            if (stack is not null && stack == previousStack && slot <= previousSlot)
            {
                throw new InvalidOperationException($"frame {i} at slot 0x{slot:x} is not above frame {i - 1} at 0x{previousSlot:x} on {stack}");
            }
        }

        var runs = slots.Where(s => s.Stack is not null).Select(s => s.Stack!).ToList();
        ThrowIfRevisited(runs, "slots");
        ThrowIfRevisited(entered, "the walk's current stack");

        Walks.ThrowUnlessBatchesWalkAsSteps(unwinder, world.Start);
        Walks.ThrowUnlessBatchesWalkAsSteps(unwinder, world.Start with { Memory = new WindowMemory(world.Memory) });
    }

    private static void Record(CorruptStacks world, in UnwindState state, List<(StackInfo?, ulong)> slots, List<StackInfo> entered)
    {
        if (state.Kind != UnwindFrameKind.Current)
        {
            slots.Add((world.Stacks.TryGet(state.Slot, out var stack) ? stack : null, state.Slot));
        }

        if (state.Stack is { } current && (entered.Count == 0 || entered[^1] != current))
        {
            entered.Add(current);
        }
    }

    private static void ThrowIfRevisited(List<StackInfo> stacks, string what)
    {
        var left = new HashSet<StackInfo>(ReferenceEqualityComparer.Instance);
        for (int i = 1; i < stacks.Count; i++)
        {
            if (stacks[i] == stacks[i - 1])
            {
                continue;
            }

            left.Add(stacks[i - 1]);
            if (left.Contains(stacks[i]))
            {
                throw new InvalidOperationException($"{what}: {stacks[i]} entered twice");
            }
        }
    }
}
