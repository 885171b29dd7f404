using System.Runtime.CompilerServices;
using EntryModel.Unwinding.Image;

namespace EntryModel.Unwinding.Unwinders;

/// <summary>
/// <c>orc</c>: the kernel's ORC unwinder (unwind_orc.c, 6.1) over the image's ORC table. For each
/// frame it takes the row in force where the frame's code stands (the return address's call, i.e.
/// the byte before it; the exact RIP for the running frame and after pt_regs), computes the
/// caller's stack pointer (the CFA) from the row's base register and offset, and reads what the row
/// says lies there: a return address just below it (call), a whole pt_regs at it (regs) or only the
/// iret frame at it (partial regs). The row also says where the caller's %rbp was saved. No frame
/// pointers are needed; an undefined row ends the walk, done when it marks the end of the stack.
/// </summary>
public sealed class OrcUnwinder : FramePointerUnwinder
{
    /// <summary>The kernel's row for RIP 0 (a call through a NULL pointer): the return address is at the stack pointer.</summary>
    private static readonly OrcEntry NullIpRow = new(8, 0, OrcRegister.Sp, OrcRegister.Undefined, OrcType.Call, false);

    // Read on every frame: kept at hand rather than reached through the image's properties.
    // Asked at every reliable walk: decided once.
    private readonly bool canVouch;

    private readonly OrcTable? table;
    private readonly OrcCallSiteRows? callSiteRows;
    private readonly ulong textStart;
    private readonly ulong textSize;
    private readonly ulong retFromFork;

    /// <summary>Where the iret frame starts in pt_regs (the kernel's IRET_FRAME_OFFSET: at RIP), and its size.</summary>
    private readonly ulong iretFrameOffset;
    private readonly ulong iretFrameSize;

    public OrcUnwinder(UnwindImage image)
        : base(image)
    {
        table = image.Orc;
        callSiteRows = image.OrcCallSites;
        textStart = image.Text.Start;
        textSize = image.Text.End - image.Text.Start;
        retFromFork = image.RetFromFork;
        iretFrameOffset = (ulong)image.PtRegs.Ip;
        iretFrameSize = (ulong)(image.PtRegs.Size - image.PtRegs.Ip);
        canVouch = table is not null && image.Marks(StrategyMarks.Orc);
    }

    public override string Name => "orc";

    public override string Description => "The ORC unwinder (Linux 6.1): the image's ORC rows give every frame's CFA and saved %rbp, and mark pt_regs and iret frames.";

    /// <summary>Only on an image of the ORC strategy that carries its ORC tables: the rows are what it trusts.</summary>
    public override bool CanVouch => canVouch;

    protected override bool Decode(ref UnwindState state, ulong bp)
    {
        if (!TryFindRow(state, out var row))
        {
            return state.Fail(UnwindError.MissingOrcRow);
        }

        if (row.Type == OrcType.Call && row.SpReg == OrcRegister.Sp && row.SpOffset >= 8 && row.BpReg != OrcRegister.Bp)
        {
            return StepCall(ref state, row);
        }

        if (row.SpReg == OrcRegister.Undefined)
        {
            // Entry code's end-of-stack hint, or code the tables know nothing of.
            return row.End ? state.Finish() : state.Fail(UnwindError.UnusableOrcRow);
        }

        var from = state.Stack;
        ulong previousSp = state.Sp;
        ulong previousRegs = WholeRegs(state);

        // The saved %rbp is read before the frame is entered: it lies just below the CFA, where the
        // bounds check will no longer allow reads once the walk stands on the caller's frame.
        // The usual bases (%rsp plus an offset, %rbp left alone) without a call; the rest as the kernel reads them.
        ulong cfa;
        if (row.SpReg == OrcRegister.Sp)
        {
            cfa = state.Sp + (ulong)(long)row.SpOffset;
        }
        else if (!TryCfa(ref state, row, out cfa))
        {
            return false;
        }

        ulong? savedBp = null;
        if (row.BpReg != OrcRegister.Undefined && !TrySavedBp(ref state, row, cfa, bp, out savedBp))
        {
            return false;
        }

        bool stepped = row.Type switch
        {
            OrcType.Call => EnterCall(ref state, cfa),
            OrcType.Regs => EnterFullRegs(ref state, cfa),
            OrcType.RegsPartial => EnterIretFrame(ref state, cfa, previousRegs),
            _ => state.Fail(UnwindError.UnusableOrcRow),
        };
        if (!stepped)
        {
            return false;
        }

        if (savedBp is { } saved)
        {
            state.Bp = saved;
        }
        else if (state.PartialRegs && state.PreviousRegs != 0)
        {
            // %rbp untouched since the iret frame was pushed: the pt_regs crossed before still hold it.
            if (!state.Read(state.PreviousRegs + (ulong)Image.PtRegs.Bp, out ulong untouched))
            {
                return false;
            }

            state.Bp = untouched;
        }

        // As the kernel: on one stack each frame's stack pointer lies above the last one's, or bad rows could loop.
        if (state.Stack == from && state.Stack!.Contains(state.Sp, 8) && state.Sp <= previousSp)
        {
            return state.Fail(UnwindError.WrongDirection);
        }

        return true;
    }

    /// <summary>
    /// The frames whose return address follows one of the image's calls, whose row (kept per call
    /// site) is a call frame with the CFA above %rsp and the caller's %rbp untouched or saved in
    /// the frame (<see cref="OrcCallSiteRows.TryFindCommonCall"/>), and whose words lie on the page
    /// the memory shows: the common frames, each what <see cref="Decode"/> would reach through
    /// <see cref="StepCall"/>, walked with the registers in locals.
    /// </summary>
    protected override unsafe int WalkCommonFrames(ref UnwindState state, Span<UnwindFrame> frames)
    {
        var rows = callSiteRows;
        if (rows is null || frames.IsEmpty || state.Kind != UnwindFrameKind.Call || state.Pending != 0 || state.Finished
            || (state.Frames == 0 && retFromFork != 0 && state.Ip == retFromFork) || state.Stack is not { } stack)
        {
            return 0;
        }

        var page = state.ShownPage(out ulong pageFirst);
        if (page.Length != GuestPageSize)
        {
            return 0;
        }

        ulong high = state.StackHigh;
        ulong sp = state.Sp;
        if (sp > high || high > ulong.MaxValue - (ulong)short.MaxValue)
        {
            // Not where a call frame leaves the walk (nor where a CFA could be computed without wrapping).
            return 0;
        }

        // Each frame's words, [CFA - 8 or 16, CFA), must lie at or above the floor and the page's
        // start, and end by the stack's top and the page's end: Reach's common case and the page.
        ulong low = Math.Max(Math.Max(state.Floor, state.StackLow), pageFirst);
        ulong end = Math.Min(high, pageFirst + GuestPageSize);
        ulong ip = state.Ip, bp = state.Bp;
        ulong textLow = textStart, textBytes = textSize;
        var kind = stack.Kind;
        int count;
        fixed (byte* pinned = page)
        fixed (UnwindFrame* first = frames)
        {
            // The page's words by guest address (the word at a is at byAddress + a): only addresses
            // checked to lie on the page are read, and the CFA is then one addition from the next read.
            byte* byAddress = pinned - pageFirst;
            UnwindFrame* next = first, full = first + frames.Length;
            while (next < full && rows.TryFindCommonCall(ip, out uint cfaOffset, out int savedBpOffset))
            {
                // The words read: the return address below the CFA and, when saved, the caller's %rbp below it.
                ulong cfa = sp + cfaOffset;
                ulong at = cfa + (ulong)(long)savedBpOffset;
                if (cfa - 8 < low || cfa > end || (savedBpOffset != 0 && at < low))
                {
                    break;
                }

                ulong ret = *(ulong*)(byAddress + cfa - 8);
                if (ret - textLow >= textBytes)
                {
                    break;
                }

                if (savedBpOffset != 0)
                {
                    bp = *(ulong*)(byAddress + at);
                }

                *next++ = new UnwindFrame(UnwindFrameKind.Call, ret, cfa - 8, 0, false, kind);
                ip = ret;
                sp = cfa;
                low = cfa;
            }

            count = (int)(next - first);
        }

        if (count > 0)
        {
            // Where Land would have left the state on the last of them (a call frame before them too).
            state.Ip = ip;
            state.Slot = sp - 8;
            state.Sp = sp;
            state.Bp = bp;
            state.Floor = sp;
            state.Frames += count;
        }

        return count;
    }

    /// <summary>
    /// The common frame, in one step: a call frame whose CFA is %rsp plus a positive offset (so the
    /// walk moves up) and whose caller's %rbp is untouched or saved below the CFA. When it was saved
    /// just below the return address (a frame record), both words are read together.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool StepCall(ref UnwindState state, OrcEntry row)
    {
        ulong cfa = state.Sp + (ulong)row.SpOffset;
        ulong slot = cfa - 8;
        ulong ret;
        ulong bp = state.Bp;
        if (row.BpReg == OrcRegister.PrevSp && row.BpOffset == -16)
        {
            if (!state.Reach(cfa - 16, 16) || !state.ReadPair(cfa - 16, out bp, out ret))
            {
                return false;
            }
        }
        else
        {
            if (!state.Reach(slot, 8) || !state.Read(slot, out ret))
            {
                return false;
            }

            if (row.BpReg == OrcRegister.PrevSp)
            {
                ulong at = cfa + (ulong)(long)row.BpOffset;
                if (!state.Reach(at, 8) || !state.Read(at, out bp))
                {
                    return false;
                }
            }
        }

        state.Bp = bp;
        return Land(ref state, ret, slot, cfa);
    }

    /// <summary>
    /// The row where the frame's code stands. A return address is looked up at the byte before it:
    /// the instruction after a call may belong to other code (the call was to a noreturn function).
    /// The running frame, a frame after pt_regs and a new task at ret_from_fork stand on their exact RIP.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryFindRow(in UnwindState state, out OrcEntry row)
    {
        bool exact = state.Kind != UnwindFrameKind.Call || (state.Frames == 0 && retFromFork != 0 && state.Ip == retFromFork);
        if (!exact && callSiteRows is not null && callSiteRows.TryFind(state.Ip, out row))
        {
            // A return address after one of the image's calls: its row was found once, when the image was read.
            return true;
        }

        ulong at = exact ? state.Ip : state.Ip - 1;
        if (at == 0)
        {
            row = NullIpRow;
            return true;
        }

        if (table is null)
        {
            row = OrcEntry.Undefined;
            return false;
        }

        return table.TryFind(at, out row);
    }

    /// <summary>The CFA: the row's base register plus its offset, or the word the indirect bases point at.</summary>
    private bool TryCfa(ref UnwindState state, OrcEntry row, out ulong cfa)
    {
        ulong offset = (ulong)(long)row.SpOffset;
        cfa = 0;
        switch (row.SpReg)
        {
            case OrcRegister.Sp:
                cfa = state.Sp + offset;
                return true;
            case OrcRegister.Bp:
                cfa = state.Bp + offset;
                return true;
            case OrcRegister.SpIndirect:
                // A stack switch: the stack pointer points at the word that holds the old one (the offset applies after).
                if (!state.Reach(state.Sp, 8) || !state.Read(state.Sp, out cfa))
                {
                    return false;
                }

                cfa += offset;
                return true;
            case OrcRegister.BpIndirect:
                ulong at = state.Bp + offset;
                return state.Reach(at, 8) && state.Read(at, out cfa);
            // The kernel takes these registers' values as they are: its rows never offset them.
            case OrcRegister.R10:
                return TrySavedRegister(ref state, "R10", out cfa);
            case OrcRegister.R13:
                return TrySavedRegister(ref state, "R13", out cfa);
            case OrcRegister.Di:
                return TrySavedRegister(ref state, "RDI", out cfa);
            case OrcRegister.Dx:
                return TrySavedRegister(ref state, "RDX", out cfa);
            default:
                return state.Fail(UnwindError.UnusableOrcRow);
        }
    }

    /// <summary>
    /// A register only a whole pt_regs can give (the kernel's get_reg): the frame's own, or, for
    /// partial regs, the one crossed just before. These were bounds-checked when the walk entered
    /// them, so the word is read directly.
    /// </summary>
    private bool TrySavedRegister(ref UnwindState state, string register, out ulong value)
    {
        value = 0;
        ulong regs = WholeRegs(state);
        return regs == 0
            ? state.Fail(UnwindError.UnusableOrcRow)
            : state.Read(regs + (ulong)Image.PtRegs.Offsets[register], out value);
    }

    /// <summary>The whole pt_regs the frame stands on: its own, the ones before its iret frame, or none (0) after a call.</summary>
    private static ulong WholeRegs(in UnwindState state) =>
        state.Kind != UnwindFrameKind.Regs ? 0 : state.PartialRegs ? state.PreviousRegs : state.Regs;

    /// <summary>Where the row says the caller's %rbp was saved; null when it says %rbp was not touched.</summary>
    private static bool TrySavedBp(ref UnwindState state, OrcEntry row, ulong cfa, ulong bp, out ulong? saved)
    {
        saved = null;
        ulong at;
        switch (row.BpReg)
        {
            case OrcRegister.Undefined:
                return true;
            case OrcRegister.PrevSp:
                at = cfa + (ulong)(long)row.BpOffset;
                break;
            case OrcRegister.Bp:
                at = bp + (ulong)(long)row.BpOffset;
                break;
            default:
                return state.Fail(UnwindError.UnusableOrcRow);
        }

        if (!state.Reach(at, 8) || !state.Read(at, out ulong value))
        {
            return false;
        }

        saved = value;
        return true;
    }

    /// <summary>A call frame: the return address just below the CFA, which becomes the stack pointer.</summary>
    private bool EnterCall(ref UnwindState state, ulong cfa)
    {
        ulong slot = cfa - 8;
        return state.Reach(slot, 8) && state.Read(slot, out ulong ret) && Land(ref state, ret, slot, cfa);
    }

    /// <summary>Stands the walk on the caller: its return address <paramref name="ret"/>, read from <paramref name="slot"/>, and its stack pointer, the CFA.</summary>
    private bool Land(ref UnwindState state, ulong ret, ulong slot, ulong cfa)
    {
        // text.Contains(ret), as one unsigned compare.
        if (ret - textStart >= textSize)
        {
            return state.Fail(UnwindError.NotKernelText);
        }

        state.Kind = UnwindFrameKind.Call;
        state.Regs = 0;
        state.UserMode = false;
        state.PartialRegs = false;
        state.PreviousRegs = 0;
        state.Ip = ret;
        state.Slot = slot;
        state.Sp = cfa;
        state.Floor = cfa;
        return true;
    }

    /// <summary>A whole pt_regs at the CFA: RIP, RSP and %rbp from it.</summary>
    private bool EnterFullRegs(ref UnwindState state, ulong cfa)
    {
        if (!EnterRegs(ref state, cfa))
        {
            return false;
        }

        state.PartialRegs = false;
        state.PreviousRegs = 0;
        return true;
    }

    /// <summary>Only the iret frame at the CFA (RIP, CS, RFLAGS, RSP, SS): the pt_regs around it are not known to be saved.</summary>
    private bool EnterIretFrame(ref UnwindState state, ulong cfa, ulong previousRegs)
    {
        var layout = Image.PtRegs;
        ulong regs = cfa - iretFrameOffset;
        if (!state.Reach(cfa, iretFrameSize)
            || !state.Read(regs + (ulong)layout.Ip, out ulong ip)
            || !state.Read(regs + (ulong)layout.Cs, out ulong cs)
            || !state.Read(regs + (ulong)layout.Sp, out ulong sp))
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
        state.PartialRegs = true;
        state.PreviousRegs = previousRegs;
        state.Ip = ip;
        state.Slot = cfa;
        state.Sp = sp;
        state.Floor = cfa + iretFrameSize;
        return true;
    }
}
