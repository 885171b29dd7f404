using static EntryModel.Unwinding.Tests.Support.SyntheticKernel;

namespace EntryModel.Unwinding.Tests.Support;

/// <summary>
/// Builds a stack the way code would: pushes onto <see cref="FakeMemory"/> from a stack's top,
/// with %rsp and %rbp as the CPU keeps them. Each push returns the slot it wrote.
/// </summary>
internal sealed class StackWriter(FakeMemory memory, ulong top)
{
    public ulong Sp { get; private set; } = top;

    public ulong Bp { get; set; }

    public ulong Push(ulong value)
    {
        Sp -= 8;
        memory[Sp] = value;
        return Sp;
    }

    /// <summary>A call: pushes the return address; returns its slot.</summary>
    public ulong Call(ulong returnAddress) => Push(returnAddress);

    /// <summary>A prologue (push %rbp; mov %rsp,%rbp): returns the frame record's address.</summary>
    public ulong Enter()
    {
        Push(Bp);
        Bp = Sp;
        return Sp;
    }

    /// <summary>A full pt_regs below the stack pointer (as entry code saves it); returns its address.</summary>
    public ulong PushPtRegs(ulong rip, ulong cs, ulong rsp, ulong rbp, ulong ss = KernelSs)
    {
        Sp -= SizeOfPtRegs;
        memory.Zero(Sp, Sp + SizeOfPtRegs);
        memory[Sp + 0x20] = rbp;
        memory[Sp + 0x78] = ulong.MaxValue; // orig_rax
        memory[Sp + PtRegsRip] = rip;
        memory[Sp + 0x88] = cs;
        memory[Sp + 0x90] = Eflags;
        memory[Sp + 0x98] = rsp;
        memory[Sp + 0xa0] = ss;
        return Sp;
    }

    /// <summary>A sleeping task's switch frame (rbp first, then five more callee-saved registers); returns the saved RSP.</summary>
    public ulong PushSwitchFrame()
    {
        Push(Bp);
        for (int i = 0; i < 5; i++)
        {
            Push(0);
        }

        return Sp;
    }
}
