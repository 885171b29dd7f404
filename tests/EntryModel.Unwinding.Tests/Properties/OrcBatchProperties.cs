using CsCheck;
using EntryModel.Unwinding.Image;
using EntryModel.Unwinding.Tests.Support;
using EntryModel.Unwinding.Unwinders;

namespace EntryModel.Unwinding.Tests.Properties;

/// <summary>
/// The ORC unwinder's batched walk (<see cref="IUnwinder.NextFrames"/>, whose common frames come
/// from the rows kept per call site) against its step-by-step walk, the reference, under arbitrary
/// rows at the synthetic kernel's calls: call frames of any CFA offset with %rbp untouched or saved
/// anywhere (inside the frame or not), CFA offsets too small or negative, %rbp-based, regs and
/// undefined rows, over task stacks whose words are mostly those return addresses (so that walks
/// go far, across a page boundary) and otherwise stack addresses, random, zero or unreadable, read
/// plainly and through shown pages. The same frames, and the same end, every time.
/// </summary>
public sealed class OrcBatchProperties
{
    public const int Cases = 5_000;

    /// <summary>Words of the task stack written: 1.25 pages, so that walks cross a page boundary.</summary>
    private const int Words = 640;

    [Test]
    public void Orc_walks_in_batches_as_step_by_step_under_any_rows_at_the_calls()
    {
        ulong[] returns = [.. SyntheticKernel.CallsWithLines.Keys.Order()];
        var row = Gen.Frequency(
            (4, Gen.Int[1, 12].Select(n => OrcKernel.CallRow(OrcRegister.Sp, (short)(8 * n)))),
            (4, Gen.Select(Gen.Int[1, 12], Gen.Int[-2, 13], (n, m) => OrcKernel.CallRow(OrcRegister.Sp, (short)(8 * n), OrcRegister.PrevSp, (short)(-8 * m)))),
            (1, Gen.Int[-16, 40].Select(n => OrcKernel.CallRow(OrcRegister.Sp, (short)n, OrcRegister.PrevSp, -16))),
            (1, Gen.Const(OrcKernel.CallRow(OrcRegister.Bp, 16, OrcRegister.PrevSp, -16))),
            (1, Gen.Const(OrcKernel.RegsRow(OrcRegister.Sp, 0))),
            (1, Gen.Const(OrcEntry.Undefined)));
        int cases = 0, commonSteps = 0;

        // A word of the stack: (kind, value) with kind 0-15 a return address, 16 a stack address, 17 random, 18 zero, 19 unreadable.
        var word = Gen.Select(Gen.Int[0, 19], Gen.ULong);
        var world = Gen.Select(word.Array[Words], Gen.Int[0, Words - 1], Gen.ULong);

        Gen.Select(row.Array[returns.Length], world).Sample(
            (rows, stack) =>
            {
                Interlocked.Increment(ref cases);
                var image = new UnwindImage(OrcKernel.Build(OrcKernel.With([.. returns.Zip(rows, (ret, r) => (ret - 1, r))])));
                var unwinder = new OrcUnwinder(image);
                var start = Build(returns, stack.Item1, stack.Item2, stack.Item3);
                Walks.ThrowUnlessBatchesWalkAsSteps(unwinder, start);
                Walks.ThrowUnlessBatchesWalkAsSteps(unwinder, start with { Memory = new WindowMemory(start.Memory) });

                // Steps the batch's own loop could take: from a call frame whose row is common to another call frame.
                var (frames, _) = Walks.Stepwise(unwinder, start);
                if (frames.Zip(frames.Skip(1)).Any(p => p.First.Kind == UnwindFrameKind.Call && p.Second.Kind == UnwindFrameKind.Call
                    && image.OrcCallSites!.TryFindCommonCall(p.First.Ip, out _, out _)))
                {
                    Interlocked.Increment(ref commonSteps);
                }
            },
            iter: Cases,
            print: t => $"rows [{string.Join(", ", t.Item1)}], start at word {t.Item2.Item2}, words [{string.Join(", ", t.Item2.Item1.Select(w => $"{w.Item1}:{w.Item2:x}"))}]");

        Assert.That(cases, Is.GreaterThanOrEqualTo(Cases));
        Assert.That(commonSteps, Is.GreaterThan(Cases / 20), "walks that take common call frames");
        TestContext.Out.WriteLine($"orc: {cases} cases, {commonSteps} with common call frames");
    }

    /// <summary>The top <see cref="Words"/> words of the task stack, and a running start at the <paramref name="at"/>th from the bottom.</summary>
    private static UnwindStart Build(ulong[] returns, (int Kind, ulong Value)[] words, int at, ulong bp)
    {
        var memory = new WordMemory();
        ulong low = TestStacks.Task.High - (Words * 8UL);
        for (int i = 0; i < words.Length; i++)
        {
            var (kind, value) = words[i];
            ulong address = low + ((ulong)i * 8);
            switch (kind)
            {
                case <= 15:
                    memory.Map(address, returns[(int)(value % (ulong)returns.Length)]);
                    break;
                case 16:
                    memory.Map(address, low + (value % (Words * 8UL)));
                    break;
                case 17:
                    memory.Map(address, value);
                    break;
                case 18:
                    memory.Map(address, 0);
                    break;
            }
        }

        ulong ip = returns[(int)(bp % (ulong)returns.Length)];
        return UnwindStart.FromRegisters(ip, low + ((ulong)at * 8), bp, memory, TestStacks.All, TestStacks.TaskStruct);
    }
}
