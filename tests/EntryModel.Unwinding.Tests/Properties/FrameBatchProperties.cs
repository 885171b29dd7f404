using CsCheck;
using EntryModel.Unwinding.Image;
using EntryModel.Unwinding.Tests.Support;
using static EntryModel.Unwinding.Tests.Support.SyntheticKernel;

namespace EntryModel.Unwinding.Tests.Properties;

/// <summary>
/// The frame family's batched walks (<see cref="IUnwinder.NextFrames"/>, whose loop takes frame
/// records, each strategy's marks and the pt_regs they lead to) against their step-by-step walks,
/// the reference, over stacks built the way entry code leaves them and then damaged: chains of
/// plain records, fake pt_regs frames, encoded %rbp values and entry calls (direct and indirect),
/// each leading to pt_regs of kernel, user or garbage registers, ending at the stack's top in a
/// task's last frame and its pt_regs, laid out across page boundaries on the task, IST and IRQ
/// stacks, with words shifted, replaced, zeroed or unmapped. Every unwinder walks every stack, so
/// each also meets the others' marks. The same frames, and the same end, every time.
/// </summary>
public sealed class FrameBatchProperties
{
    public const int Cases = 5_000;

    private const ulong RegsSize = SizeOfPtRegs;
    private const ulong RegsBp = 0x20;
    private const ulong RegsIp = PtRegsRip;
    private const ulong RegsCs = 0x88;
    private const ulong RegsSp = 0x98;

    /// <summary>Each unwinder on the synthetic kernel; and the marked ones on images that lack their marks (no pt_regs marker function, no <c>.entry_regs</c> rows).</summary>
    private static readonly string[] Unwinders = ["frame", "frame-ptregs", "frame-encoded", "section", "task-flag", "frame-ptregs without marker", "section without rows"];

    /// <summary>Return addresses of plain frames.</summary>
    private static readonly ulong[] PlainReturns = [InnerRet, MiddleRet, MiddleIndirectRet, OuterRet, HandlerRet, ScheduleRet, TailCallerRet];

    /// <summary>Return addresses a plain record now and then holds instead: entry code with and without a row, the marker, no text.</summary>
    private static readonly ulong[] OddReturns = [UnrecordedEntryRet, PtRegsMarkerRet, PageFaultEntryRet, IrqEntryRet, Text - 8, TextEnd, UserRip, 0];

    /// <summary>Return addresses of the task's last frame: a syscall's entry call, or frames without a record.</summary>
    private static readonly ulong[] TopReturns = [SyscallEntryRet, HandlerRet, OuterRet];

    [TestCaseSource(nameof(Unwinders))]
    public void Frame_family_walks_in_batches_as_step_by_step_over_entry_frames_and_damage(string name)
    {
        var unwinder = name switch
        {
            "frame-ptregs without marker" => UnwinderCatalog.Create("frame-ptregs", new UnwindImage(SyntheticKernel.Build(marker: false))),
            "section without rows" => UnwinderCatalog.Create("section", new UnwindImage(SyntheticKernel.Build(entryRegs: false))),
            _ => SyntheticKernel.Unwinder(name),
        };
        int cases = 0, kernelRegs = 0, userEnds = 0, failed = 0;
        var errors = new Dictionary<UnwindError, int>();

        // A piece of the chain: its kind (0-9: see Layout; 10: padding to a page boundary), two choices and a gap after it.
        var kind = Gen.Frequency((12, Gen.Int[0, 3]), (2, Gen.Int[4, 5]), (1, Gen.Const(6)), (1, Gen.Const(7)), (1, Gen.Const(8)), (1, Gen.Const(9)), (3, Gen.Const(10)));
        var piece = Gen.Select(kind, Gen.Int[0, 15], Gen.ULong, Gen.Int[0, 2]);

        // A damaged word: where (a fraction of the chain), how, and a value.
        var damage = Gen.Select(Gen.Int[0, 999], Gen.Int[0, 7], Gen.ULong);
        var damages = Gen.Frequency((1, Gen.Const(Array.Empty<(int, int, ulong)>())), (1, damage.Array[1, 3]));
        var world = Gen.Select(piece.Array[1, 16], damages, Gen.Int[0, 9], Gen.Int[0, 5]);

        world.Sample(
            (pieces, damages, stackChoice, topChoice) =>
            {
                Interlocked.Increment(ref cases);
                var start = Build(pieces, damages, stackChoice, topChoice);
                var shown = start with { Memory = new WindowMemory(start.Memory) };
                Walks.ThrowUnlessBatchesWalkAsSteps(unwinder, shown);
                Walks.ThrowUnlessBatchesWalkAsSteps(unwinder, start);

                var (frames, end) = Walks.Stepwise(unwinder, shown);
                if (frames.Any(f => f.Kind == UnwindFrameKind.Regs && !f.UserMode))
                {
                    Interlocked.Increment(ref kernelRegs);
                }

                if (end.Done && frames.Count > 0 && frames[^1].UserMode)
                {
                    Interlocked.Increment(ref userEnds);
                }

                if (end.Error != UnwindError.None)
                {
                    Interlocked.Increment(ref failed);
                    lock (errors)
                    {
                        errors[end.Error] = errors.GetValueOrDefault(end.Error) + 1;
                    }
                }
            },
            iter: Cases,
            print: t => $"pieces [{string.Join(", ", t.Item1)}], damage [{string.Join(", ", t.Item2)}], stack {t.Item3}, top {t.Item4}");

        TestContext.Out.WriteLine($"{name}: {cases} cases, {kernelRegs} through kernel pt_regs, {userEnds} ending at user pt_regs, {failed} failing ({string.Join(", ", errors.OrderByDescending(e => e.Value).Select(e => $"{e.Key} {e.Value}"))})");
        Assert.That(cases, Is.GreaterThanOrEqualTo(Cases));
        Assert.That(userEnds, Is.GreaterThan(Cases / 40), "walks that end at the user pt_regs on top");
        Assert.That(failed, Is.GreaterThan(Cases / 10), "walks that fail");
        if (name is "frame-ptregs" or "frame-encoded" or "section")
        {
            Assert.That(kernelRegs, Is.GreaterThan(Cases / 10), "walks through a kernel pt_regs");
        }
    }

    /// <summary>
    /// Lays the chain out from the stack's top down: the task's last frame and its pt_regs at the
    /// top, each piece below the one it links to, then the damage; the walk starts running in leaf
    /// with %rbp at the first piece.
    /// </summary>
    private static UnwindStart Build((int Kind, int Choice, ulong Value, int Gap)[] pieces, (int Where, int How, ulong Value)[] damages, int stackChoice, int topChoice)
    {
        var stack = stackChoice switch
        {
            8 => TestStacks.Ist,
            9 => TestStacks.Irq,
            _ => TestStacks.Task,
        };
        // Every word of the stack readable (a page with an unreadable word is never shown), junk where nothing is laid out.
        var memory = new WordMemory();
        for (ulong at = stack.Low; at < stack.High; at += 8)
        {
            memory.Map(at, at ^ 0x5a5a);
        }

        // The top: pt_regs (user mode mostly, a kernel thread's, or garbage) and the frame right below.
        ulong regs = stack.High - RegsSize;
        var (ip, cs, sp) = topChoice switch
        {
            <= 3 => (UserRip, UserCs, UserSp),
            4 => (InnerFault, KernelCs, stack.High),
            _ => (InnerFault, UserCs, UserSp),
        };
        WriteRegs(memory, regs, ip, cs, sp, UserBp);
        ulong low = regs - 16;
        WriteRecord(memory, low, UserBp, TopReturns[topChoice % TopReturns.Length]);
        ulong next = low;

        foreach (var (kind, choice, value, gap) in pieces.Reverse())
        {
            if (kind == 10)
            {
                // Padding that puts the top of the piece below it near a page boundary (up to 24
                // words under it, or 39 over), so that records, regs pointers and regs straddle it.
                ulong boundary = (low & ~(ulong)(PageWindow.PageSize - 1)) - (ulong)(8 * (int)(value % 64)) + (24 * 8);
                if (boundary < low && boundary > stack.Low + 512)
                {
                    low = boundary;
                }

                continue;
            }

            ulong size = kind switch
            {
                <= 3 or 9 => 16,
                4 or 5 => 24 + RegsSize,
                6 => RegsSize,
                7 => 16 + RegsSize,
                _ => 24 + RegsSize,
            } + (ulong)(8 * gap);
            if (low - stack.Low < size + 64)
            {
                break;
            }

            low -= size;
            next = Layout(memory, low, kind, choice, value, next);
        }

        ulong chainHigh = stack.High;
        foreach (var (where, how, value) in damages)
        {
            ulong at = (low + ((chainHigh - low) * (ulong)where / 1000)) & ~7UL;
            memory.TryReadUInt64(at, out ulong old);
            switch (how)
            {
                case 0:
                    memory.Map(at, old + 8);
                    break;
                case 1:
                    memory.Map(at, old - 8);
                    break;
                case 2:
                    memory.Map(at, value);
                    break;
                case 3:
                    memory.Map(at, 0);
                    break;
                case 4:
                    memory.Unmap(at);
                    break;
                case 5:
                    memory.Map(at, old | 1);
                    break;
                case 6:
                    memory.Map(at, low + (value % (chainHigh - low)));
                    break;
                default:
                    // A pointer at, or a few words around, the top pt_regs or a page's last ones (encoded or not).
                    ulong end = value % 2 == 0 ? stack.High : (at & ~(ulong)(PageWindow.PageSize - 1)) + (ulong)PageWindow.PageSize;
                    memory.Map(at, (end - RegsSize + (8 * ((value >> 1) % 7)) - 24) | ((value >> 8) & 1));
                    break;
            }
        }

        return UnwindStart.FromRegisters(LeafRunning, low - 8, next, memory, TestStacks.All, TestStacks.TaskStruct);
    }

    /// <summary>Writes one piece at <paramref name="at"/> linking to <paramref name="link"/>; returns what links to it (the %rbp a caller holds).</summary>
    private static ulong Layout(WordMemory memory, ulong at, int kind, int choice, ulong value, ulong link)
    {
        switch (kind)
        {
            case <= 3:
                // A plain record, now and then returning somewhere a plain frame does not.
                WriteRecord(memory, at, link, choice < 15 ? PlainReturns[choice % PlainReturns.Length] : OddReturns[value % (ulong)OddReturns.Length]);
                return at;
            case 4 or 5:
                // The fake frame: its record (which a plain walk follows too), the regs pointer, the regs.
                WriteRecord(memory, at, link, PtRegsMarkerRet);
                memory.Map(at + 16, at + 24);
                WriteRegs(memory, at + 24, choice, value, link);
                return at;
            case 6:
                // Linux's encoded %rbp: the caller's %rbp is the regs' address plus one.
                WriteRegs(memory, at, choice, value, link);
                return at | 1;
            case 7:
                // A direct entry call: the regs right above the record (the rows' offset is 8 from the slot).
                WriteRecord(memory, at, link, choice % 2 == 0 ? PageFaultEntryRet : SyscallEntryRet);
                WriteRegs(memory, at + 16, choice, value, link);
                return at;
            case 8:
                // An indirect one: the word above the record points at the regs.
                WriteRecord(memory, at, link, IrqEntryRet);
                memory.Map(at + 16, at + 24);
                WriteRegs(memory, at + 24, choice, value, link);
                return at;
            default:
                // Junk that looks like a record.
                WriteRecord(memory, at, value % 2 == 0 ? link : value, value);
                return at;
        }
    }

    private static void WriteRecord(WordMemory memory, ulong at, ulong callerBp, ulong ret)
    {
        memory.Map(at, callerBp);
        memory.Map(at + 8, ret);
    }

    /// <summary>Regs interrupting kernel text mostly; now and then user-mode, or with an RIP that is no text.</summary>
    private static void WriteRegs(WordMemory memory, ulong at, int choice, ulong value, ulong bp)
    {
        var (ip, cs, sp) = choice switch
        {
            <= 10 => (InnerFault, KernelCs, at + RegsSize),
            11 => (UserRip, UserCs, UserSp),
            12 => (InnerFault, UserCs, UserSp),
            13 => (value, KernelCs, at + RegsSize),
            14 => (InnerFault, value, value),
            _ => (UserRip, UserCs, value),
        };
        WriteRegs(memory, at, ip, cs, sp, bp);
    }

    private static void WriteRegs(WordMemory memory, ulong at, ulong ip, ulong cs, ulong sp, ulong bp)
    {
        for (ulong offset = 0; offset < RegsSize; offset += 8)
        {
            memory.Map(at + offset, 0);
        }

        memory.Map(at + RegsBp, bp);
        memory.Map(at + RegsIp, ip);
        memory.Map(at + RegsCs, cs);
        memory.Map(at + RegsSp, sp);
    }
}
