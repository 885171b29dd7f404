using System.Runtime.CompilerServices;

namespace EntryModel;

/// <summary>
/// Where a walk stands, as the kernel's <c>struct unwind_state</c>: the frame's <see cref="Ip"/>,
/// its stack and frame pointers, the pt_regs it came from, the stack it is on and the stacks
/// already visited, and the error that ended it. A value type: walking allocates nothing.
/// <see cref="Sp"/> and <see cref="Bp"/> are the registers' values for that frame as far as the
/// unwinder knows them; <see cref="Floor"/> is the lowest address the next frame may use on
/// <see cref="Stack"/> (stacks only unwind upward).
/// </summary>
public struct UnwindState
{
    // The current stack's bounds, kept beside it so that the common case of Reach is compares
    // against the state alone (no stack object to load). No stack: a range nothing lies in.
    private StackInfo? stack;
    private ulong stackLow;
    private ulong stackHigh;

    // The memory, and the page it shows walks (read without a call while reads stay on it).
    private IMemoryReader memory;
    private PageWindow? window;

    public ulong Ip { get; set; }
    public ulong Sp { get; set; }
    public ulong Bp { get; set; }

    /// <summary>Where <see cref="Ip"/> was read: the return-address slot (Call, Guess), the pt_regs RIP slot (Regs), 0 for Current.</summary>
    public ulong Slot { get; set; }

    /// <summary>The pt_regs of a <see cref="UnwindFrameKind.Regs"/> frame, 0 otherwise.</summary>
    public ulong Regs { get; set; }

    /// <summary>
    /// Whether only the hardware (iret) frame of <see cref="Regs"/> is known to be there: RIP, CS,
    /// RFLAGS, RSP, SS; the words below RIP belong to whatever the stack held (the ORC unwinder's
    /// partial regs).
    /// </summary>
    public bool PartialRegs { get; set; }

    /// <summary>
    /// With <see cref="PartialRegs"/>, the whole pt_regs of the frame before, if it was one: early
    /// entry code interrupted by an NMI has not saved the registers yet, so the NMI's pt_regs still
    /// hold them (the ORC unwinder's <c>prev_regs</c>). 0 otherwise.
    /// </summary>
    public ulong PreviousRegs { get; set; }

    /// <summary>Whether the pt_regs of this frame were saved in user mode (CS RPL 3): the last frame of a walk.</summary>
    public bool UserMode { get; set; }

    public UnwindFrameKind Kind { get; set; }

    public StackInfo? Stack
    {
        readonly get => stack;
        set
        {
            stack = value;
            stackLow = value?.Low ?? 0;
            stackHigh = value?.High ?? 0;
        }
    }

    /// <summary>The bottom of <see cref="Stack"/> (its <see cref="StackInfo.Low"/>), 0 when there is none.</summary>
    public readonly ulong StackLow => stackLow;

    /// <summary>The top of <see cref="Stack"/> (its <see cref="StackInfo.High"/>), 0 when there is none.</summary>
    public readonly ulong StackHigh => stackHigh;

    /// <summary>The lowest address the next frame may occupy on <see cref="Stack"/>.</summary>
    public ulong Floor { get; set; }

    /// <summary>Bits of the stacks visited (<see cref="StackInfo.VisitBit"/>): each is entered at most once.</summary>
    public ulong StackMask { get; set; }

    public UnwindError Error { get; set; }

    public UnwindCaveat Caveats { get; set; }

    /// <summary>Whether the walk reached the end of the task's stack (user-mode pt_regs, or a kernel thread's first frame).</summary>
    public bool Done { get; set; }

    /// <summary>Frames produced so far (the start's frame is frame 0).</summary>
    public int Frames { get; set; }

    /// <summary>Unwinder-private scratch (the guess unwinder's scan position, a pending pt_regs address).</summary>
    public ulong Pending { get; set; }

    public IMemoryReader Memory
    {
        readonly get => memory;
        set
        {
            memory = value;
            window = value?.Window;
        }
    }

    public IStackInfoProvider Stacks { get; set; }

    /// <summary>
    /// Makes <paramref name="state"/> a fresh state over <paramref name="start"/>'s memory and
    /// stacks, on the stack that holds where the walk starts (<paramref name="at"/>: the stack
    /// pointer, the saved RSP or the pt_regs; a pointer at a stack's very top counts as that stack),
    /// floored there. False, with the state's error set, when no stack the walk may use holds it.
    /// Nothing of the state's last walk is left, but references it already holds are not written
    /// again (each write of one costs a GC write barrier, and a walker reuses its state).
    /// </summary>
    public static bool TryBegin(in UnwindStart start, ref UnwindState state, out ulong at)
    {
        ArgumentNullException.ThrowIfNull(start.Memory);
        ArgumentNullException.ThrowIfNull(start.Stacks);
        at = start.At;
        var memory = start.Memory;
        if (!start.TryGetResolved(out var stack, out var window))
        {
            window = memory.Window;
            stack = start.Stacks.TryGet(at, out var found) || start.Stacks.TryGet(at - 1, out found) ? found : null;
        }

        // Filled in place, every field once: clearing the whole state first (a loop of word stores,
        // as it holds references) and filling it again costs more than a walk's first frame.
        state.Reset(memory, window, start.Stacks, stack, at);
        return stack is not null || state.Fail(UnwindError.UnknownStack);
    }

    /// <summary>Every field of a fresh state on <paramref name="on"/> (null: none), floored at <paramref name="at"/>.</summary>
    private void Reset(IMemoryReader reader, PageWindow? shown, IStackInfoProvider stacks, StackInfo? on, ulong at)
    {
        if (!ReferenceEquals(stack, on))
        {
            stack = on;
        }

        stackLow = on?.Low ?? 0;
        stackHigh = on?.High ?? 0;
        if (!ReferenceEquals(memory, reader))
        {
            memory = reader;
        }

        if (!ReferenceEquals(window, shown))
        {
            window = shown;
        }

        Ip = 0;
        Sp = 0;
        Bp = 0;
        Slot = 0;
        Regs = 0;
        PartialRegs = false;
        PreviousRegs = 0;
        UserMode = false;
        Kind = default;
        Floor = on is null ? 0 : at;
        StackMask = on?.VisitBit ?? 0;
        Error = UnwindError.None;
        Caveats = UnwindCaveat.None;
        Done = false;
        Frames = 0;
        Pending = 0;
        if (!ReferenceEquals(Stacks, stacks))
        {
            Stacks = stacks;
        }
    }

    /// <summary>Whether the walk is over: done or failed.</summary>
    public readonly bool Finished => Done || Error != UnwindError.None;

    /// <summary>Ends the walk with <paramref name="error"/>; returns false so a step can <c>return state.Fail(...)</c>.</summary>
    public bool Fail(UnwindError error)
    {
        Error = error;
        Kind = UnwindFrameKind.None;
        return false;
    }

    /// <summary>Ends the walk at the end of the task's stack.</summary>
    public bool Finish()
    {
        Done = true;
        Kind = UnwindFrameKind.None;
        return false;
    }

    /// <summary>
    /// The single bounds check every read goes through (the kernel's <c>stack_access_ok</c> with
    /// <c>update_stack_state</c>): [<paramref name="address"/>, +<paramref name="length"/>) must lie on
    /// the current stack at or above <see cref="Floor"/>, or on the stack the current one links to
    /// (entered at most once, at or above the link's stack pointer). Moves to that stack when needed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Reach(ulong address, ulong length)
    {
        // The common case, on the current stack at or above the floor, decided here; the rest
        // (the stack's very top, another stack, a failure) by the whole check.
        ulong high = stackHigh;
        if (address >= Floor && address >= stackLow && address < high && length <= high - address)
        {
            return true;
        }

        return ReachOther(address, length);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool ReachOther(ulong address, ulong length)
    {
        if (Stack is null)
        {
            return Fail(UnwindError.UnknownStack);
        }

        if (Stack.Contains(address, length))
        {
            return address >= Floor || Fail(UnwindError.WrongDirection);
        }

        if (!Stack.TryGetNextSp(Memory, out ulong nextSp) || !Stacks.TryGet(nextSp, out var next) && !Stacks.TryGet(nextSp - 1, out next))
        {
            return Fail(Stack.Contains(address) ? UnwindError.OutOfBounds : UnwindError.EndOfStack);
        }

        if ((StackMask & next.VisitBit) != 0)
        {
            return Fail(UnwindError.StackRevisited);
        }

        if (!next.Contains(address, length))
        {
            return Fail(UnwindError.OutOfBounds);
        }

        if (address < nextSp)
        {
            return Fail(UnwindError.WrongDirection);
        }

        StackMask |= next.VisitBit;
        Stack = next;
        Floor = nextSp;
        return true;
    }

    /// <summary>
    /// Reads a word at <paramref name="address"/> after <see cref="Reach"/> allowed it: from the page
    /// the memory shows when the word is on it (as <see cref="ReadPair"/>), else through the memory.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Read(ulong address, out ulong value)
    {
        if (window is { } shown && shown.TryReadUInt64(address, out value))
        {
            return true;
        }

        (value, bool read) = ReadOrFail(address);
        return read;
    }

    /// <summary>
    /// Reads the two words at <paramref name="address"/> (a frame record: the saved %rbp, then the
    /// return address) after <see cref="Reach"/> allowed all 16 bytes: from the page the memory
    /// shows (<see cref="IMemoryReader.Window"/>) when both are on it, else word by word through the
    /// memory, the second only when the first could be read. Fails the walk as <see cref="Read"/> does.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool ReadPair(ulong address, out ulong first, out ulong second)
    {
        if (window is { } shown && shown.TryReadPair(address, out first, out second))
        {
            return true;
        }

        // Returned, not written through pointers: the slow path leaves the caller's words in registers.
        (first, second, bool read) = ReadPairOrFail(address);
        return read;
    }

    /// <summary>
    /// The bytes from <paramref name="address"/> to the end of its page when the memory shows that
    /// page (<see cref="IMemoryReader.Window"/>), else empty: then read through <see cref="Read"/>.
    /// Like <see cref="Read"/>, only after <see cref="Reach"/> allowed what is read of it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly ReadOnlySpan<byte> Shown(ulong address) => window is { } w ? w.At(address) : default;

    /// <summary>
    /// The page the memory shows (<see cref="PageWindow.Page"/>), with its first address in
    /// <paramref name="first"/>; empty when none. For an unwinder's own loop over many frames, which
    /// must still keep every read within what <see cref="Reach"/> would allow, and must not use the
    /// span after it next reads through the state (a read may move the window).
    /// </summary>
    public readonly ReadOnlySpan<byte> ShownPage(out ulong first)
    {
        if (window is { } w)
        {
            return w.Page(out first);
        }

        first = 0;
        return default;
    }

    /// <summary>The word at <paramref name="address"/> through the memory, and whether it could be read (when not, 0 and the walk failed).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private (ulong Value, bool Read) ReadOrFail(ulong address) =>
        Memory.TryReadUInt64(address, out ulong value) ? (value, true) : (0, Fail(UnwindError.UnreadableMemory));

    /// <summary>The two words at <paramref name="address"/> through the memory, the second only when the first could be read.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private (ulong First, ulong Second, bool Read) ReadPairOrFail(ulong address)
    {
        var (first, read) = ReadOrFail(address);
        if (!read)
        {
            return (0, 0, false);
        }

        var (second, readSecond) = ReadOrFail(address + 8);
        return (first, second, readSecond);
    }
}
