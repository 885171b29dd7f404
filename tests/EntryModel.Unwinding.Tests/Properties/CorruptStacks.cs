using System.Globalization;
using System.Text;
using CsCheck;
using EntryModel.Unwinding.Tests.Support;
using static EntryModel.Unwinding.Tests.Support.SyntheticKernel;

namespace EntryModel.Unwinding.Tests.Properties;

/// <summary>
/// A value drawn for a stack word: a class, and numbers the class turns into a value once the
/// stacks are known (which stack, which word of it, a small offset, a random word).
/// </summary>
internal readonly record struct WordDraw(int Class, int Stack, int Index, int Offset, ulong Random);

/// <summary>One step of the code that built a stack: a call, an event saving pt_regs, a switch to the IRQ or IST stack, pushed words.</summary>
internal readonly record struct OpDraw(int Kind, int A, int B);

/// <summary>A word overwritten after the stacks were built: which written word (by index), with what.</summary>
internal readonly record struct CorruptionDraw(int Where, WordDraw Value);

/// <summary>Everything drawn for one case.</summary>
internal sealed record StacksDraw(
    int TopShift,
    int UserTop,
    OpDraw[] Ops,
    int StartKind,
    int StartIp,
    WordDraw StartBp,
    int TaskFlags,
    WordDraw[] Stale,
    CorruptionDraw[] Corruptions,
    WordDraw IrqLink,
    WordDraw IstLink,
    int Present,
    int IstIndex,
    int Cut,
    int Tangle);

/// <summary>
/// A corrupted machine state for the robustness properties. Stacks are first built as code would
/// build them (calls with frame records, events saving pt_regs marked the ways the strategies
/// mark them, switches to the IRQ and IST stacks with their links), so walks go deep; then words
/// are overwritten with return addresses, other text, pointers into, across and just off the
/// stacks (aligned, odd, unaligned), self-pointers and pointers below, zeros, random values, or
/// unmapped; links are redrawn; pages and stack bounds are cut.
/// </summary>
internal sealed class CorruptStacks
{
    private const int TaskWords = 128;
    private const int SideWords = 80;
    private static readonly ulong[] ReturnAddresses = [.. CallsWithLines.Keys];
    private static readonly ulong[] EntryReturns = [PageFaultEntryRet, IrqEntryRet, SyscallEntryRet, UnrecordedEntryRet];

    private readonly List<ulong> written = [];
    private readonly List<ulong> regsFrames = [];
    private readonly List<ulong> records = [];
    private readonly List<StackInfo> sidesUsed = [];

    private CorruptStacks(StacksDraw draw)
    {
        Draw = draw;
        ulong taskHigh = 0xffffc90000008000 + (ulong)(long)(draw.TopShift * 8);
        Task = new StackInfo("task", StackKind.Task, taskHigh - (TaskWords * 8), taskHigh);
        Irq = new StackInfo("irq", StackKind.Irq, 0xffff88807fc08000 - (SideWords * 8), 0xffff88807fc08000);
        Ist = new StackInfo("ist", StackKind.Ist, 0xfffffe0000006000 - (SideWords * 8), 0xfffffe0000006000, draw.IstIndex);

        var (writer, stack) = Build(draw);
        Start = MakeStart(draw, writer, stack);
        foreach (var (w, i) in draw.Stale.Select((w, i) => (w, i)))
        {
            // Stale words below the stack pointer: what earlier, returned calls left there.
            ulong at = writer.Sp - 8 - ((ulong)i * 8);
            if (stack.Contains(at, 8) && !Memory.TryGetWord(at, out _))
            {
                Put(at, w);
            }
        }

        foreach (var c in draw.Corruptions)
        {
            // A third of the corruptions hit a saved %rbp, the rest any word the code wrote.
            var pool = c.Where % 3 == 0 && records.Count > 0 ? records : written;
            if (pool.Count > 0)
            {
                Put(pool[c.Where / 3 % pool.Count], c.Value);
            }
        }

        if (draw.IrqLink.Class != 16)
        {
            Put(Irq.High - 8, draw.IrqLink);
        }

        if (draw.IstLink.Class != 16)
        {
            Put(Ist.High - 16, draw.IstLink);
        }

        Tangle(draw.Tangle);
        CutPages(draw.Cut);
        var usable = new List<StackInfo> { (draw.Cut % 8) == 5 ? Task with { Low = Task.High - 0x100 } : Task };
        if (draw.Present is not (0 or 1))
        {
            usable.Add(Irq);
        }

        if (draw.Present is not (0 or 2))
        {
            usable.Add(Ist);
        }

        Stacks = new TestStacks([.. usable]);
        TotalWords = usable.Sum(s => (int)(s.Size / 8));
        Start = Start with { Stacks = Stacks };
    }

    public StacksDraw Draw { get; }

    public StackInfo Task { get; }

    public StackInfo Irq { get; }

    public StackInfo Ist { get; }

    /// <summary>The stacks the walk may use (a draw may leave out the IRQ or IST stack, or cut the task stack's bounds).</summary>
    public TestStacks Stacks { get; }

    public WordMemory Memory { get; } = new();

    public UnwindStart Start { get; }

    /// <summary>Words of all usable stacks together.</summary>
    public int TotalWords { get; }

    public static Gen<StacksDraw> Gen { get; } = MakeGen();

    public static CorruptStacks From(StacksDraw draw) => new(draw);

    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"start {Start.Kind} ip=0x{Start.Ip:x} sp=0x{Start.Sp:x} bp=0x{Start.Bp:x} address=0x{Start.Address:x} task=0x{Start.TaskStruct:x}");
        foreach (var stack in new[] { Task, Irq, Ist })
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{stack}{(Stacks.TryGet(stack.High - 1, out _) ? string.Empty : " (not usable)")}");
            for (ulong a = stack.Low - 16; a < stack.High + 16; a += 8)
            {
                if (Memory.TryGetWord(a, out ulong v))
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"  {a:x}: {v:x}");
                }
            }
        }

        return text.ToString();
    }

    private (StackWriter Writer, StackInfo Stack) Build(StacksDraw draw)
    {
        var writerMemory = new FakeMemory();
        var stack = Task;
        var w = new StackWriter(writerMemory, Task.High) { Bp = UserBp };
        bool irqUsed = false, istUsed = false;
        if (draw.UserTop != 2)
        {
            // The task's top pt_regs: a user task's (user CS) or a kernel thread's (kernel CS).
            regsFrames.Add(w.PushPtRegs(draw.UserTop == 0 ? UserRip : 0, draw.UserTop == 0 ? UserCs : KernelCs, UserSp, UserBp));
        }

        foreach (var op in draw.Ops)
        {
            if (w.Sp - stack.Low < 0xe0)
            {
                break;
            }

            switch (op.Kind)
            {
                case 3:
                    // An event on this stack: pt_regs, its mark, the entry's call to the handler, the handler's frame.
                    ulong regs = w.PushPtRegs(EventRip(op.A), op.A % 5 == 0 ? UserCs : KernelCs, w.Sp, w.Bp);
                    regsFrames.Add(regs);
                    Scenes.Mark(w, (Marks)(op.B % 4), regs);
                    w.Call(EntryReturns[op.A % 4]);
                    records.Add(w.Enter());
                    break;
                case 4 when !irqUsed && stack != Irq:
                    // irq_entry: pt_regs on this stack, then the IRQ stack with the interrupted stack pointer at its top.
                    ulong interrupted = w.PushPtRegs(EventRip(op.A), KernelCs, w.Sp, w.Bp);
                    regsFrames.Add(interrupted);
                    Flush(writerMemory);
                    irqUsed = true;
                    sidesUsed.Add(Irq);
                    stack = Irq;
                    w = new StackWriter(writerMemory, Irq.High) { Bp = w.Bp };
                    w.Push(interrupted);
                    Scenes.Mark(w, (Marks)(op.B % 4), interrupted);
                    w.Call(IrqEntryRet);
                    records.Add(w.Enter());
                    break;
                case 5 when !istUsed && stack != Ist:
                    // An IST event: the hardware frame and the rest of pt_regs at the IST stack's top.
                    var ist = new StackWriter(writerMemory, Ist.High) { Bp = w.Bp };
                    ulong istRegs = ist.PushPtRegs(EventRip(op.A), op.A % 7 == 0 ? UserCs : KernelCs, w.Sp, w.Bp);
                    regsFrames.Add(istRegs);
                    Flush(writerMemory);
                    istUsed = true;
                    sidesUsed.Add(Ist);
                    stack = Ist;
                    w = ist;
                    Scenes.Mark(w, (Marks)(op.B % 4), istRegs);
                    w.Call(EntryReturns[op.A % 4]);
                    records.Add(w.Enter());
                    break;
                case 6:
                    // Locals: zeros, pointers up the stack, return addresses left over.
                    for (int k = 0; k < (op.A % 4) + 1; k++)
                    {
                        w.Push((op.B % 3) switch { 0 => 0, 1 => w.Sp + (ulong)(8 * (k + 1)), _ => ReturnAddresses[(op.B + k) % ReturnAddresses.Length] });
                    }

                    break;
                default:
                    // A call: the return address (now and then text that follows no call), the callee's frame record.
                    w.Call(op.B % 7 == 0 ? Text + ((ulong)op.A % (EntryTextEnd - Text)) : ReturnAddresses[op.B % ReturnAddresses.Length]);
                    records.Add(w.Enter());
                    break;
            }
        }

        Flush(writerMemory);
        return (w, stack);
    }

    private UnwindStart MakeStart(StacksDraw draw, StackWriter w, StackInfo stack)
    {
        ulong taskStruct = draw.TaskFlags == 3 ? 0 : TestStacks.TaskStruct;
        Memory.Map(TestStacks.TaskStruct + TaskFlagsOffset, draw.TaskFlags switch { 0 => 0, 1 => PreemptIrqFlag, _ => 0x40 });
        ulong ip = (draw.StartIp % 4) switch { 0 => LeafRunning, 1 => ReturnAddresses[draw.StartIp % ReturnAddresses.Length], 2 => Text + ((ulong)draw.StartIp % 0x200), _ => UserRip };
        switch (draw.StartKind)
        {
            case 1:
                // A sleeping task: its switch frame below the last frame.
                var sleeping = new FakeMemory();
                var s = new StackWriter(sleeping, w.Sp) { Bp = w.Bp };
                if (stack.Contains(w.Sp - 0x40, 0x40))
                {
                    s.Call(ScheduleRet);
                    s.PushSwitchFrame();
                    FlushFrom(sleeping, s.Sp, w.Sp);
                }

                return UnwindStart.FromSleepingTask(s.Sp, Memory, TestStacks.All, taskStruct);
            case 2:
                ulong regs = regsFrames.Count == 0 ? w.Sp : regsFrames[draw.StartIp % regsFrames.Count];
                return UnwindStart.FromPtRegs(regs, Memory, TestStacks.All, taskStruct);
            default:
                // The running context's %rbp as the code left it, or redrawn (below or above %rsp, on another stack, anything).
                ulong bp = draw.StartBp.Class == 16 ? w.Bp : Resolve(draw.StartBp, w.Sp);
                return UnwindStart.FromRegisters(ip, w.Sp, bp, Memory, TestStacks.All, taskStruct);
        }
    }

    private static ulong EventRip(int a) => (a % 3) switch { 0 => InnerFault, 1 => ReturnAddresses[a % ReturnAddresses.Length], _ => UserRip };


    /// <summary>Copies what a writer pushed onto the stacks into <see cref="Memory"/>.</summary>
    private void Flush(FakeMemory from)
    {
        foreach (var stack in new[] { Task, Irq, Ist })
        {
            FlushFrom(from, stack.Low, stack.High);
        }
    }

    private void FlushFrom(FakeMemory from, ulong low, ulong high)
    {
        for (ulong a = low; a < high; a += 8)
        {
            if (from.TryReadUInt64(a, out ulong v) && !Memory.TryGetWord(a, out _))
            {
                Memory.Map(a, v);
                written.Add(a);
            }
        }
    }

    /// <summary>
    /// Ties the IRQ and IST stacks into a cycle when both were used: the first one's link now
    /// leads to the bottom of the second, and its first frame record's saved %rbp to a frame
    /// record there, so a walk that crossed from the second to the first would cross back.
    /// </summary>
    private void Tangle(int tangle)
    {
        if (tangle == 0 || sidesUsed.Count < 2)
        {
            return;
        }

        var (first, second) = (sidesUsed[0], sidesUsed[1]);
        Memory.Map(first == Irq ? Irq.High - 8 : Ist.High - 16, second.Low + ((ulong)(tangle - 1) * 8));
        var from = records.Where(first.Contains).DefaultIfEmpty().Min();
        var to = records.Where(second.Contains).DefaultIfEmpty().Max();
        if (from != 0 && to != 0)
        {
            Memory.Map(from, to);
        }
    }

    private void CutPages(int cut)
    {
        // Unmap the task stack's words on one side of the page boundary it may straddle.
        ulong page = Task.High & ~0xfffUL;
        foreach (ulong a in written)
        {
            if (Task.Contains(a) && ((cut % 8 == 1 && a < page) || (cut % 8 == 2 && a >= page)))
            {
                Memory.Unmap(a);
            }
        }
    }

    private void Put(ulong address, WordDraw word)
    {
        if (word.Class == 0)
        {
            Memory.Unmap(address);
            return;
        }

        Memory.Map(address, Resolve(word, address));
    }

    /// <summary>The value a drawn word stands for at <paramref name="self"/>.</summary>
    private ulong Resolve(WordDraw w, ulong self)
    {
        var target = (w.Stack % 4) switch { 0 => Task, 1 => Irq, 2 => Ist, _ => null };
        ulong Into(StackInfo s) => s.Low + ((ulong)(w.Index % ((int)(s.Size / 8) + 3)) * 8);
        ulong Skew() => (ulong)(w.Offset % 3 switch { 0 => 0, 1 => 1, _ => 4 });
        return w.Class switch
        {
            1 => 0,
            2 => w.Random,
            3 or 4 => ReturnAddresses[w.Index % ReturnAddresses.Length],
            5 => EntryReturns[w.Index % EntryReturns.Length],
            6 => Text + (w.Random % (EntryTextEnd - Text)),
            7 => PtRegsMarkerRet,
            8 or 9 => target is null ? UserSp + (ulong)w.Index : Into(target) + Skew(),
            10 or 11 => self + (ulong)(long)(w.Offset * 8) + Skew(),
            12 => regsFrames.Count == 0 ? self : regsFrames[w.Index % regsFrames.Count] + (ulong)(w.Offset & 1),
            13 => (w.Index % 3) switch { 0 => KernelCs, 1 => UserCs, _ => 3 },
            14 => target is null ? UserRip : target.High - ((ulong)(w.Index % 4) * 8) + Skew(),
            15 => Written(w) + Skew(),
            _ => UserRip + (ulong)w.Index,
        };
    }

    /// <summary>A frame record or any word the code wrote, on whichever stack: pointers that lead somewhere a walk can go on from.</summary>
    private ulong Written(WordDraw w)
    {
        var pool = (w.Offset & 1) == 0 && records.Count > 0 ? records : written;
        return pool.Count == 0 ? UserSp : pool[w.Index % pool.Count];
    }

    private static Gen<StacksDraw> MakeGen()
    {
        // Word class 0 unmaps; class 16 (links only) keeps what the builder wrote.
        var word = CsCheck.Gen.Select(CsCheck.Gen.Int[0, 15], CsCheck.Gen.Int[0, 3], CsCheck.Gen.Int[0, 1000], CsCheck.Gen.Int[-6, 6], CsCheck.Gen.ULong,
            (c, s, i, o, r) => new WordDraw(c, s, i, o, r));
        var op = CsCheck.Gen.Select(CsCheck.Gen.Int[0, 7], CsCheck.Gen.Int[0, 1000], CsCheck.Gen.Int[0, 1000], (k, a, b) => new OpDraw(k, a, b));
        var corruption = CsCheck.Gen.Select(CsCheck.Gen.Int[0, 10_000], word, (where, value) => new CorruptionDraw(where, value));
        // A link (or the start's %rbp) is kept half the time, else redrawn: to a frame record or written word (often on another stack), or as any word.
        var keptOrRedrawn = CsCheck.Gen.Select(CsCheck.Gen.Int[0, 3], word, (mode, w) => mode switch { 0 => w, 1 => w with { Class = 15 }, _ => w with { Class = 16 } });
        var layout = CsCheck.Gen.Select(CsCheck.Gen.Int[-6, 6], CsCheck.Gen.Int[0, 2], op.Array[0, 14], CsCheck.Gen.Int[0, 2], CsCheck.Gen.Int[0, 1000], keptOrRedrawn, CsCheck.Gen.Int[0, 3]);
        var damage = CsCheck.Gen.Select(word.Array[0, 12], corruption.Array[0, 4], keptOrRedrawn, keptOrRedrawn, CsCheck.Gen.Int[0, 15], CsCheck.Gen.Int[1, 7], CsCheck.Gen.Int[0, 15], CsCheck.Gen.Int[-3, 3]);
        return CsCheck.Gen.Select(layout, damage, (l, d) => new StacksDraw(
            l.Item1, l.Item2, l.Item3, l.Item4, l.Item5, l.Item6, l.Item7, d.Item1, d.Item2, d.Item3, d.Item4, d.Item5, d.Item6, d.Item7, Math.Max(0, d.Item8)));
    }
}
