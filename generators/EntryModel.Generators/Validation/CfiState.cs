using System;

namespace EntryModel.Generators.Validation;

/// <summary>A value relative to a base: the CFA as register+offset, or where a register was saved.</summary>
internal readonly record struct CfiReg(int Base, int Offset)
{
    public static readonly CfiReg Undefined = new(CfiRegisters.Undefined, 0);

    public override string ToString() => $"{Base}{Offset:+0;-0;+0}";
}

/// <summary>
/// What the validator knows at one instruction: where the CFA is, where each callee-saved register
/// and the return address were saved, which registers hold a value relative to the CFA, how deep
/// the stack is, the hint type in force (call, regs, partial regs), and the DRAP (dynamically
/// realigned stack) bookkeeping objtool keeps. Mutable while one path is followed; copied at each
/// branch, and frozen copies are what each instruction keeps.
/// </summary>
internal sealed class CfiState : IEquatable<CfiState>
{
    // Saved registers and register values share one array: a copy of the state is two allocations.
    private readonly CfiReg[] slots;

    public CfiState()
    {
        slots = new CfiReg[2 * CfiRegisters.Count];
        for (int i = 0; i < slots.Length; i++)
        {
            slots[i] = CfiReg.Undefined;
        }

        Regs = new RegisterView(slots, 0);
        Vals = new RegisterView(slots, CfiRegisters.Count);
    }

    private CfiState(CfiReg[] slots)
    {
        this.slots = slots;
        Regs = new RegisterView(slots, 0);
        Vals = new RegisterView(slots, CfiRegisters.Count);
    }

    /// <summary>Where each register was saved (base and offset), by CFI register number.</summary>
    public readonly RegisterView Regs;

    /// <summary>Registers known to hold a value relative to the CFA or the stack top (for moves back into %rsp).</summary>
    public readonly RegisterView Vals;

    public CfiReg Cfa { get; set; } = CfiReg.Undefined;

    public int StackSize { get; set; }

    public int DrapReg { get; set; } = CfiRegisters.Undefined;

    public int DrapOffset { get; set; } = -1;

    public int Type { get; set; }

    public bool BpScratch { get; set; }

    public bool Drap { get; set; }

    public bool End { get; set; }

    /// <summary>The state at a function's first instruction: the CFA 8 above %rsp, the return address at CFA-8.</summary>
    public static CfiState FunctionEntry()
    {
        var state = new CfiState { Cfa = new CfiReg(CfiRegisters.Sp, 8), StackSize = 8 };
        state.Regs[CfiRegisters.Ra] = new CfiReg(CfiRegisters.Cfa, -8);
        return state;
    }

    public CfiState Clone()
    {
        var copy = new CfiState((CfiReg[])slots.Clone())
        {
            Cfa = Cfa,
            StackSize = StackSize,
            DrapReg = DrapReg,
            DrapOffset = DrapOffset,
            Type = Type,
            BpScratch = BpScratch,
            Drap = Drap,
            End = End,
        };
        return copy;
    }

    public bool Equals(CfiState? other)
    {
        if (other is null)
        {
            return false;
        }

        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (Cfa != other.Cfa || StackSize != other.StackSize || DrapReg != other.DrapReg || DrapOffset != other.DrapOffset
            || Type != other.Type || BpScratch != other.BpScratch || Drap != other.Drap || End != other.End)
        {
            return false;
        }

        for (int i = 0; i < slots.Length; i++)
        {
            if (slots[i] != other.slots[i])
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as CfiState);

    public override int GetHashCode() => (Cfa.GetHashCode() * 31) + StackSize;

    /// <summary>One half of the state's register slots, indexed by CFI register number.</summary>
    internal readonly struct RegisterView
    {
        private readonly CfiReg[] slots;
        private readonly int start;

        public RegisterView(CfiReg[] slots, int start)
        {
            this.slots = slots;
            this.start = start;
        }

        public CfiReg this[int reg]
        {
            get => slots[start + reg];
            set => slots[start + reg] = value;
        }
    }
}
