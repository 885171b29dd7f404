using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EntryModel.Unwinding.Image;

namespace EntryModel.Unwinding.Unwinders;

/// <summary>
/// <c>frame</c>: the classic %rbp chain of 2016 (the kernel's unwind_frame.c without pt_regs
/// decoding). From a frame whose function has frame pointer <c>bp</c>, the caller's return address
/// is at <c>bp+8</c> and the caller's frame pointer at <c>bp</c>. It sees pt_regs only at the top
/// of a task's stack (the frame right below it is the task's last, as <c>is_last_task_frame</c>
/// says); entry code that leaves %rbp alone makes it step over the function an event interrupted.
/// The strategy-specific unwinders derive from it and decode their marks in <see cref="Decode"/>.
/// </summary>
public class FramePointerUnwinder : IUnwinder
{
    /// <summary>A saved %rbp record: the caller's %rbp, then the return address.</summary>
    protected const ulong FrameRecordSize = 16;

    /// <summary>Bytes of a page a reader shows (<see cref="PageWindow.PageSize"/>).</summary>
    protected const int GuestPageSize = PageWindow.PageSize;

    // Read on every frame: kept at hand rather than reached through the image's properties.
    private readonly ulong textStart;
    private readonly ulong textSize;
    private readonly ulong lastFrameDepth;

    // Return addresses the strategy marks (none when the span is 0): one unsigned compare a frame
    // decides that a record is plain, so the strategy is asked only at its marks. The batch loop's
    // rules are built from the same two (MarkedRange).
    private readonly ulong markLow;
    private readonly ulong markSpan;

    // Bytes of a lent page from a pt_regs' start that hold the four words EnterRegs reads (int.MaxValue: never read from a span).
    private readonly int regsSpanNeeded;

    // The pt_regs layout, read at every event boundary: kept here, one load away, not behind the image and its layout object.
    private readonly ulong regsSize;
    private readonly int regsIp;
    private readonly int regsCs;
    private readonly int regsSp;
    private readonly int regsBp;

    public FramePointerUnwinder(UnwindImage image)
        : this(image, 0, 0)
    {
    }

    /// <summary>
    /// An unwinder whose strategy marks return addresses in [<paramref name="markLow"/>,
    /// <paramref name="markLow"/> + <paramref name="markSpan"/>): a frame record returning there is
    /// handed to <see cref="FollowMark"/>; any other is walked as a plain record.
    /// </summary>
    protected FramePointerUnwinder(UnwindImage image, ulong markLow, ulong markSpan)
    {
        ArgumentNullException.ThrowIfNull(image);
        this.markLow = markLow;
        this.markSpan = markSpan;
        Image = image;
        textStart = image.Text.Start;
        textSize = image.Text.End - image.Text.Start;
        lastFrameDepth = FrameRecordSize + (ulong)image.PtRegs.Size;
        var layout = image.PtRegs;
        (regsSize, regsIp, regsCs, regsSp, regsBp) = ((ulong)layout.Size, layout.Ip, layout.Cs, layout.Sp, layout.Bp);
        int[] offsets = [layout.Ip, layout.Cs, layout.Sp, layout.Bp];
        regsSpanNeeded = offsets.Min() >= 0 && offsets.Max() <= GuestPageSize - 8 ? offsets.Max() + 8 : int.MaxValue;
    }

    public virtual string Name => "frame";

    public virtual string Description => "The %rbp chain (2016): follows saved frame pointers; steps over pt_regs it cannot see.";

    public virtual bool CanVouch => false;

    protected UnwindImage Image { get; }

    public bool Start(ref UnwindState state, in UnwindStart start)
    {
        if (!UnwindState.TryBegin(start, ref state, out _))
        {
            return false;
        }

        OnStart(ref state, start);
        switch (start.Kind)
        {
            case UnwindStartKind.Registers:
                state.Kind = UnwindFrameKind.Current;
                state.Ip = start.Ip;
                state.Sp = start.Sp;
                state.Bp = start.Bp;
                return true;
            case UnwindStartKind.SleepingTask:
                return StartSleeping(ref state, start.Address);
            default:
                return EnterRegs(ref state, start.Address);
        }
    }

    public bool NextFrame(ref UnwindState state)
    {
        if (state.Finished)
        {
            return false;
        }

        if (state.Kind == UnwindFrameKind.Regs && state.UserMode)
        {
            return state.Finish();
        }

        bool stepped;
        if (state.Pending != 0)
        {
            ulong regs = state.Pending;
            state.Pending = 0;
            stepped = EnterRegs(ref state, regs);
        }
        else
        {
            stepped = Decode(ref state, state.Bp);
        }

        if (stepped)
        {
            state.Frames++;
        }

        return stepped;
    }

    /// <summary>
    /// Frames in a row (see <see cref="IUnwinder.NextFrames"/>): the common ones, which the
    /// strategy's <see cref="WalkCommonFrames"/> recognises, in a loop of its own; any other through
    /// <see cref="NextFrame"/>, which then lets the loop go on.
    /// </summary>
    public int NextFrames(ref UnwindState state, Span<UnwindFrame> frames)
    {
        int count = 0;
        while (count < frames.Length)
        {
            count += WalkCommonFrames(ref state, frames[count..]);
            if (count == frames.Length || !NextFrame(ref state))
            {
                break;
            }

            frames[count++] = UnwindFrame.Of(state);
        }

        return count;
    }

    /// <summary>
    /// Walks the frames the batch loop takes (<see cref="WalkFrames"/>) with the plain chain's rule:
    /// nothing is marked. A strategy with marks walks its own rule; one whose frames are not frame
    /// records (<see cref="Decode"/> overridden for more than marked %rbp values) its own loop.
    /// </summary>
    protected virtual int WalkCommonFrames(ref UnwindState state, Span<UnwindFrame> frames) =>
        WalkFrames(ref state, frames, default(NoFrameMarks));

    /// <summary>
    /// Walks the frames that need nothing but what the page the memory shows holds, on the current
    /// stack, writing them into <paramref name="frames"/>, and leaves the state on the last; returns
    /// how many. It takes plain frame records, the records and %rbp values
    /// <paramref name="marks"/> decides, and the pt_regs they lead to (the task's last frame's
    /// among them, whose user-mode regs end the walk), and stops, before the frame, at anything
    /// else, which <see cref="NextFrame"/> then takes: a record or regs off the page or the stack,
    /// a return address that is not text, a mark the rule cannot decide, regs that end the walk
    /// otherwise or fail. Each frame is the one <see cref="NextFrame"/> would reach, with the same
    /// checks, but the walk's registers stay in locals and the strategy's rule is compiled into the
    /// loop.
    /// </summary>
    [SkipLocalsInit]
    private protected unsafe int WalkFrames<TMarks>(ref UnwindState state, Span<UnwindFrame> frames, TMarks marks)
        where TMarks : struct, IFrameMarks
    {
        if (frames.IsEmpty || state.Finished || (state.Kind == UnwindFrameKind.Regs && state.UserMode) || state.Stack is not { } stack)
        {
            return 0;
        }

        var page = state.ShownPage(out ulong pageFirst);
        ulong high = state.StackHigh;
        if (page.Length != GuestPageSize || high < FrameRecordSize)
        {
            return 0;
        }

        // The highest record the loop takes: wholly on the stack and on the page. Records only
        // move up, so one bound and the floor check each record's place, as Reach's common case would.
        ulong upper = Math.Min(high - FrameRecordSize, pageFirst + (GuestPageSize - FrameRecordSize));

        // What the loop compares against but rarely or never changes, kept in memory (its address is
        // taken) so that the registers go to what each frame moves: %rbp, the floor, the next frame.
        LoopBounds bounds;
        var b = &bounds;
        b->High = high;
        b->Kind = stack.Kind;

        // The same for pt_regs: the regs wholly on the stack, the four words read on the page.
        b->RegsOnPage = regsSpanNeeded <= GuestPageSize && high >= regsSize;
        b->RegsUpper = b->RegsOnPage ? Math.Min(high - regsSize, pageFirst + (ulong)(GuestPageSize - regsSpanNeeded)) : 0;

        // The record right below a task's top pt_regs is its last frame: the regs come next (is_last_task_frame).
        b->LastRecord = b->Kind == StackKind.Task ? high - lastFrameDepth : ulong.MaxValue;

        // Where the state stands after the last frame written: the walk's registers, its floor, the regs it goes to next.
        ulong low = Math.Max(Math.Max(state.Floor, state.StackLow), pageFirst);
        ulong bp = state.Bp, pending = state.Pending;
        int count;
        fixed (byte* pinned = page)
        fixed (UnwindFrame* first = frames)
        {
            // The page's words by guest address (the word at a is at byAddress + a): only words
            // checked to lie on the page are read.
            byte* byAddress = pinned - pageFirst;
            UnwindFrame* next = first;
            b->Full = first + frames.Length;
            ulong regs = pending;
            if (regs != 0)
            {
                goto Regs;
            }

        // The frame %rbp leads to: a frame record, or pt_regs when the strategy says %rbp marks them.
        Record:
            if (next == b->Full)
            {
                goto Done;
            }

            if (marks.TryDecodeRegs(bp, out regs))
            {
                goto Regs;
            }

            // Any record wholly on the page and the stack, above the floor (a misaligned one is read
            // unaligned, as NextFrame reads it).
            ulong record = bp;
            if (record < low || record > upper)
            {
                goto Done;
            }

            ulong callerBp = *(ulong*)(byAddress + record);
            ulong ret = *(ulong*)(byAddress + record + 8);
            if (marks.IsMarked(ret))
            {
                var mark = marks.Follow(ret);
                if (mark.Kind == MarkedRecordKind.FakeFrame)
                {
                    // The regs pointer saved above the fake frame, then the regs: no frame of its own.
                    if (record + 8 > upper)
                    {
                        goto Done;
                    }

                    regs = *(ulong*)(byAddress + record + FrameRecordSize);
                    goto Regs;
                }

                if (mark.Kind == MarkedRecordKind.EntryCall)
                {
                    // A frame, then the entry's pt_regs, found from its return-address slot (read
                    // before the frame is written: a read that fails leaves it all to NextFrame).
                    ulong entryRegs = record + 8 + (ulong)mark.Offset;
                    if (mark.Indirect)
                    {
                        if (entryRegs < record + FrameRecordSize || entryRegs > upper + 8)
                        {
                            goto Done;
                        }

                        entryRegs = *(ulong*)(byAddress + entryRegs);
                    }

                    if (ret - textStart >= textSize)
                    {
                        goto Done;
                    }

                    *next++ = new UnwindFrame(UnwindFrameKind.Call, ret, record + 8, 0, false, b->Kind);
                    bp = callerBp;
                    low = record + FrameRecordSize;
                    pending = regs = entryRegs;
                    goto Pending;
                }

                if (mark.Kind != MarkedRecordKind.Plain)
                {
                    goto Done;
                }
            }

            if (ret - textStart >= textSize)
            {
                // Not kernel text: NextFrame fails the walk.
                goto Done;
            }

            *next++ = new UnwindFrame(UnwindFrameKind.Call, ret, record + 8, 0, false, b->Kind);
            bp = callerBp;
            low = record + FrameRecordSize;
            if (record != b->LastRecord)
            {
                goto Record;
            }

            pending = regs = low;

        // A frame whose pt_regs come next (pending in the state until they are written).
        Pending:
            if (regs == 0 || next == b->Full)
            {
                goto Record;
            }

        // Regs the loop can read and that go on in kernel text, or that end the walk in user mode
        // at the top of the task's or an IST stack; anything else NextFrame decides.
        Regs:
            if (!b->RegsOnPage || regs < low || regs > b->RegsUpper)
            {
                goto Done;
            }

            byte* at = byAddress + regs;
            ulong ip = *(ulong*)(at + regsIp), cs = *(ulong*)(at + regsCs);
            if (JudgeRegs(ip, cs, *(ulong*)(at + regsSp), b->High - regs == regsSize, b->Kind) != RegsVerdict.Boundary)
            {
                goto Done;
            }

            bool user = (cs & 3) == 3;
            *next++ = new UnwindFrame(UnwindFrameKind.Regs, ip, regs + (ulong)regsIp, regs, user, b->Kind);
            bp = *(ulong*)(at + regsBp);
            low = regs + regsSize;
            pending = 0;
            if (!user)
            {
                goto Record;
            }

        // The end of the loop (user-mode regs end the walk: NextFrame finishes it).
        Done:
            count = (int)(next - first);
            if (count > 0)
            {
                // Where NextFrame would have left the state on the last of them (a call frame's
                // stack pointer is right above its record; a pt_regs frame's is the one saved there).
                var last = next - 1;
                state.Kind = last->Kind;
                state.Ip = last->Ip;
                state.Slot = last->Slot;
                state.Regs = last->Regs;
                state.UserMode = last->UserMode;
                state.Sp = last->Kind == UnwindFrameKind.Regs ? *(ulong*)(byAddress + last->Regs + (ulong)regsSp) : low;
                state.Bp = bp;
                state.Floor = low;
                state.Pending = pending;
                state.Frames += count;
            }
        }

        return count;
    }

    /// <summary>The return addresses the strategy marks, for its batch rule: the same range the step asks <see cref="FollowMark"/> about.</summary>
    private protected MarkedRange Marked => new(markLow, markSpan);

    /// <summary>Hook for a strategy that learns something at the start (the task flag).</summary>
    protected virtual void OnStart(ref UnwindState state, in UnwindStart start)
    {
    }

    /// <summary>
    /// Decodes the frame <paramref name="bp"/> points at into the next state. The base reads a
    /// plain frame record; strategies recognise their marks here first.
    /// </summary>
    protected virtual bool Decode(ref UnwindState state, ulong bp) => EnterFrame(ref state, bp);

    /// <summary>
    /// A frame record whose return address <paramref name="ret"/> is one the strategy marks (the
    /// fake pt_regs frame's, a call in entry code): whether the walk could follow it. The record has
    /// passed the bounds check and been read; <paramref name="from"/> is the stack the walk was on
    /// before. The base walks it as a plain record (<see cref="Land"/>).
    /// </summary>
    protected virtual bool FollowMark(ref UnwindState state, StackInfo? from, ulong record, ulong callerBp, ulong ret) =>
        Land(ref state, from, record, callerBp, ret);

    /// <summary>Moves to the frame record at <paramref name="record"/>: its return address becomes the frame's ip, unless the strategy marks it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected bool EnterFrame(ref UnwindState state, ulong record)
    {
        var from = state.Stack;
        if (!state.Reach(record, FrameRecordSize) || !state.ReadPair(record, out ulong callerBp, out ulong ret))
        {
            return false;
        }

        return ret - markLow < markSpan
            ? FollowMark(ref state, from, record, callerBp, ret)
            : Land(ref state, from, record, callerBp, ret);
    }

    /// <summary>
    /// Stands the walk on the plain frame record at <paramref name="record"/> (already reached and
    /// read: the caller's %rbp <paramref name="callerBp"/>, then <paramref name="ret"/>), which must
    /// return into kernel text.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected bool Land(ref UnwindState state, StackInfo? from, ulong record, ulong callerBp, ulong ret)
    {
        // text.Contains(ret), as one unsigned compare.
        if (ret - textStart >= textSize)
        {
            return state.Fail(UnwindError.NotKernelText);
        }

        // Left an IRQ or IST stack on a frame record: unless the frame before was that stack's pt_regs, an event boundary went unseen.
        if (!ReferenceEquals(state.Stack, from))
        {
            NoteCrossing(ref state, from!);
        }

        // A call frame has no regs and is not user mode: written only when the frame before was not one.
        if (state.Kind != UnwindFrameKind.Call)
        {
            state.Kind = UnwindFrameKind.Call;
            state.Regs = 0;
            state.UserMode = false;
        }

        state.Ip = ret;
        state.Slot = record + 8;
        state.Sp = record + FrameRecordSize;
        state.Bp = callerBp;
        state.Floor = record + FrameRecordSize;

        // The frame right below the task's top pt_regs is its last: the regs come next (is_last_task_frame).
        if (state.StackHigh - record == lastFrameDepth && state.Stack!.Kind == StackKind.Task)
        {
            state.Pending = record + FrameRecordSize;
        }

        return true;
    }

    private static void NoteCrossing(ref UnwindState state, StackInfo from)
    {
        if (from.Kind is StackKind.Irq or StackKind.Ist
            && !(state.Kind == UnwindFrameKind.Regs && state.Regs >= from.Low && state.Regs < from.High))
        {
            state.Caveats |= UnwindCaveat.CrossedStackWithoutRegs;
        }
    }

    /// <summary>Moves to the pt_regs at <paramref name="regs"/>: an event boundary whose saved RIP becomes the frame's ip.</summary>
    protected bool EnterRegs(ref UnwindState state, ulong regs)
    {
        if (!state.Reach(regs, regsSize))
        {
            return false;
        }

        ulong ip, cs, sp, bp;
        var bytes = state.Shown(regs);
        if (bytes.Length >= regsSpanNeeded)
        {
            // The four words on the page the memory shows: read there (offsets checked against the span at construction).
            ref byte at = ref MemoryMarshal.GetReference(bytes);
            ip = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref at, regsIp));
            cs = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref at, regsCs));
            sp = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref at, regsSp));
            bp = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref at, regsBp));
        }
        else if (!state.Read(regs + (ulong)regsIp, out ip)
            || !state.Read(regs + (ulong)regsCs, out cs)
            || !state.Read(regs + (ulong)regsSp, out sp)
            || !state.Read(regs + (ulong)regsBp, out bp))
        {
            return false;
        }

        if (!AcceptRegs(ref state, regs, ip, cs, sp))
        {
            return false;
        }

        state.Kind = UnwindFrameKind.Regs;
        state.Regs = regs;
        state.UserMode = (cs & 3) == 3;
        state.Ip = ip;
        state.Slot = regs + (ulong)regsIp;
        state.Sp = sp;
        state.Bp = bp;
        state.Floor = regs + regsSize;
        state.Pending = 0;
        return true;
    }

    /// <summary>
    /// Whether registers saved at <paramref name="regs"/> (already reached) can be an event boundary:
    /// false, with the walk finished or failed, when they are a kernel thread's first pt_regs (the
    /// end of its stack) or cannot have been saved there.
    /// </summary>
    protected bool AcceptRegs(ref UnwindState state, ulong regs, ulong ip, ulong cs, ulong sp) =>
        JudgeRegs(ip, cs, sp, state.StackHigh - regs == regsSize, state.Stack!.Kind) switch
        {
            RegsVerdict.Boundary => true,
            RegsVerdict.EndOfStack => state.Finish(),
            _ => state.Fail(UnwindError.BadRegs),
        };

    /// <summary>
    /// What registers saved with RIP <paramref name="ip"/>, CS <paramref name="cs"/> and RSP
    /// <paramref name="sp"/> are, at the very <paramref name="top"/> of a stack of
    /// <paramref name="kind"/> or not: the one rule of the step (<see cref="AcceptRegs"/>) and the
    /// batch loop. User-mode regs are the frame the CPU pushed on entry, at the top of the stack it
    /// switched to (the task's, or an IST stack), and hold user addresses; kernel regs at the top of
    /// a task's stack are a kernel thread's first (the end of its stack, not an interruption); any
    /// other kernel regs must have interrupted kernel text.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private RegsVerdict JudgeRegs(ulong ip, ulong cs, ulong sp, bool top, StackKind kind) =>
        (cs & 3) == 3
            ? top && kind is StackKind.Task or StackKind.Ist && !IsKernelHalf(ip) && !IsKernelHalf(sp) ? RegsVerdict.Boundary : RegsVerdict.Bad
            : top && kind == StackKind.Task ? RegsVerdict.EndOfStack
            : ip - textStart < textSize ? RegsVerdict.Boundary
            : RegsVerdict.Bad;

    /// <summary>Whether an address lies in the upper (kernel) half of the canonical address space.</summary>
    private static bool IsKernelHalf(ulong address) => (long)address < 0;

    private bool StartSleeping(ref UnwindState state, ulong savedRsp)
    {
        var frame = Image.SwitchFrame;
        if (!state.Reach(savedRsp, (ulong)frame.Size)
            || !state.Read(savedRsp + (ulong)frame.Bp, out ulong bp)
            || !state.Read(savedRsp + (ulong)frame.ReturnAddress, out ulong ret))
        {
            return false;
        }

        if (ret - textStart >= textSize)
        {
            return state.Fail(UnwindError.NotKernelText);
        }

        state.Kind = UnwindFrameKind.Call;
        state.Ip = ret;
        state.Slot = savedRsp + (ulong)frame.ReturnAddress;
        state.Sp = state.Slot + 8;
        state.Bp = bp;
        state.Floor = savedRsp + (ulong)frame.Size;
        return true;
    }

    /// <summary>What saved registers are to a walk (<see cref="JudgeRegs"/>).</summary>
    private enum RegsVerdict : byte
    {
        /// <summary>An event boundary the walk crosses (or, in user mode, ends at).</summary>
        Boundary,

        /// <summary>A kernel thread's first pt_regs: the walk is done.</summary>
        EndOfStack,

        /// <summary>Registers that cannot have been saved there: the walk fails.</summary>
        Bad,
    }

    /// <summary>The batch loop's fixed bounds (<see cref="WalkFrames"/>).</summary>
    private unsafe struct LoopBounds
    {
        public ulong High;
        public ulong RegsUpper;
        public ulong LastRecord;
        public UnwindFrame* Full;
        public StackKind Kind;
        public bool RegsOnPage;
    }
}
