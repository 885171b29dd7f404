using System.Numerics;
using System.Runtime.CompilerServices;

namespace EntryModel.Machine.Cpu;

/// <summary>
/// The architectural state of the modelled CPU. A plain value type: copying it is a snapshot.
/// Arithmetic status flags are kept lazily (the operands of the last flag-writing operation) and
/// computed only when something reads them; <see cref="Rflags"/> always returns the exact value.
/// </summary>
#pragma warning disable CA1051 // A register file is plain data: fields keep snapshots a struct copy and access free.
public struct CpuState
{
    /// <summary>The general-purpose registers, indexed by <see cref="Gpr"/>.</summary>
    public GeneralRegisters Gpr;

    public ulong Rip;

    /// <summary>CS selector; its low two bits are the CPL.</summary>
    public ushort Cs;

    public ushort Ss;

    public ulong FsBase;

    /// <summary>The GS base in use (what <c>%gs:</c> operands add).</summary>
    public ulong GsBase;

    /// <summary>IA32_KERNEL_GS_BASE: what SWAPGS exchanges with <see cref="GsBase"/>.</summary>
    public ulong KernelGsBase;

    public ulong Efer;
    public ulong Star;
    public ulong Lstar;
    public ulong Cstar;
    public ulong Fmask;

    public ulong Cr0;

    /// <summary>The linear address of the last page fault.</summary>
    public ulong Cr2;

    /// <summary>Stored only: the model has one address space.</summary>
    public ulong Cr3;

    public ulong Cr4;

    /// <summary>DR6, for the single-step (BS) status bit.</summary>
    public ulong Dr6;

    public ulong IdtBase;
    public ushort IdtLimit;

    /// <summary>The linear address of the 64-bit TSS (TR's base): RSP0 at +4, IST1..7 at +0x24.</summary>
    public ulong TrBase;

    // RFLAGS: every non-status bit always lives here; the status bits only when LazyOp is None.
    internal ulong FlagsStore;
    internal FlagOp LazyOp;
    internal byte LazyBits;
    internal bool LazyAux;
    internal ulong LazyA;
    internal ulong LazyB;
    internal ulong LazyRes;

    public readonly int Cpl => Cs & 3;

    public ulong this[Gpr register]
    {
        readonly get => Gpr[(int)register];
        set => Gpr[(int)register] = value;
    }

    /// <summary>RFLAGS with the status flags computed from the lazy state.</summary>
    public ulong Rflags
    {
        readonly get => LazyOp == FlagOp.None ? FlagsStore : (FlagsStore & ~RFlags.Arithmetic) | ComputeArithmetic();
        set
        {
            FlagsStore = (value & ~(RFlags.VM | 0xFFFFFFFFFFC08028UL)) | RFlags.Reserved1;
            LazyOp = FlagOp.None;
        }
    }

    /// <summary>A machine reset into 64-bit kernel mode: CPL 0, flat selectors, interrupts off.</summary>
    public static CpuState PowerOn()
    {
        var s = default(CpuState);
        s.Cs = Selectors.KernelCs;
        s.Ss = Selectors.KernelSs;
        s.FlagsStore = RFlags.Reserved1;
        s.Efer = Msr.EferLongMode;
        s.Star = Msr.LinuxStar;
        s.Fmask = Msr.LinuxFmask;
        s.Cr0 = 0x80050033; // PG, WP, NE, ET, MP, PE
        s.Cr4 = 0x000006A0; // PAE, PGE, OSFXSR, OSXMMEXCPT
        s.Dr6 = 0xFFFF0FF0;
        return s;
    }

    internal void SetLazy(FlagOp op, int bits, ulong a, ulong b, ulong res)
    {
        LazyOp = op;
        LazyBits = (byte)bits;
        LazyA = a;
        LazyB = b;
        LazyRes = res;
    }

    /// <summary>Writes the computed status flags into the store and drops the lazy state.</summary>
    internal void Materialize()
    {
        if (LazyOp != FlagOp.None)
        {
            FlagsStore = (FlagsStore & ~RFlags.Arithmetic) | ComputeArithmetic();
            LazyOp = FlagOp.None;
        }
    }

    /// <summary>Replaces the status flags named by <paramref name="mask"/> with <paramref name="values"/>.</summary>
    internal void SetStatusFlags(ulong mask, ulong values)
    {
        Materialize();
        FlagsStore = (FlagsStore & ~mask) | (values & mask);
    }

    internal readonly bool Carry => LazyOp switch
    {
        FlagOp.None => (FlagsStore & RFlags.CF) != 0,
        FlagOp.Add => LazyRes < LazyA,
        FlagOp.Adc => LazyRes < LazyA || (LazyAux && LazyRes == LazyA),
        FlagOp.Sub => LazyA < LazyB,
        FlagOp.Sbb => LazyA < LazyB || (LazyAux && LazyA == LazyB),
        FlagOp.Inc or FlagOp.Dec => LazyAux,
        _ => false,
    };

    internal readonly bool Zero => LazyOp == FlagOp.None ? (FlagsStore & RFlags.ZF) != 0 : LazyRes == 0;

    internal readonly bool Sign => LazyOp == FlagOp.None ? (FlagsStore & RFlags.SF) != 0 : ((LazyRes >> (LazyBits - 1)) & 1) != 0;

    internal readonly bool Overflow => LazyOp switch
    {
        FlagOp.None => (FlagsStore & RFlags.OF) != 0,
        FlagOp.Add or FlagOp.Adc or FlagOp.Inc => (((LazyA ^ LazyRes) & (LazyB ^ LazyRes)) >> (LazyBits - 1) & 1) != 0,
        FlagOp.Sub or FlagOp.Sbb or FlagOp.Dec => (((LazyA ^ LazyB) & (LazyA ^ LazyRes)) >> (LazyBits - 1) & 1) != 0,
        _ => false,
    };

    internal readonly bool Parity => LazyOp == FlagOp.None ? (FlagsStore & RFlags.PF) != 0 : (BitOperations.PopCount((uint)(LazyRes & 0xFF)) & 1) == 0;

    /// <summary>Evaluates condition code <paramref name="cc"/> (the 4-bit tttn of Jcc/SETcc/CMOVcc).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal readonly bool Condition(int cc)
    {
        bool r = (cc >> 1) switch
        {
            0 => Overflow,
            1 => Carry,
            2 => Zero,
            3 => Carry || Zero,
            4 => Sign,
            5 => Parity,
            6 => Sign != Overflow,
            _ => Zero || (Sign != Overflow),
        };
        return r ^ ((cc & 1) != 0);
    }

    private readonly ulong ComputeArithmetic()
    {
        ulong f = 0;
        if (Carry)
        {
            f |= RFlags.CF;
        }

        if (Parity)
        {
            f |= RFlags.PF;
        }

        if (LazyOp != FlagOp.Logic && (((LazyA ^ LazyB ^ LazyRes) >> 4) & 1) != 0)
        {
            f |= RFlags.AF;
        }

        if (LazyRes == 0)
        {
            f |= RFlags.ZF;
        }

        if (Sign)
        {
            f |= RFlags.SF;
        }

        if (Overflow)
        {
            f |= RFlags.OF;
        }

        return f;
    }
}
#pragma warning restore CA1051
