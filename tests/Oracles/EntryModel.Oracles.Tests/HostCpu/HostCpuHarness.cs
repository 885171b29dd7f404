using Iced.Intel;
using EntryModel.Oracles.Tests.Differential;
using static Iced.Intel.AssemblerRegisters;

namespace EntryModel.Oracles.Tests.HostCpu;

/// <summary>
/// The machine code around a sequence on the host CPU. The prologue (a SysV function called from C#)
/// saves the callee-saved registers, keeps the host RSP in a fixed slot, loads RFLAGS and all 16 GPRs
/// from the input block and jumps to the sequence. The sequence ends with a jump to the epilogue, which
/// stores all 16 GPRs and RFLAGS to the output block, takes the host RSP back from the slot and returns.
/// All state-block accesses are absolute disp32 operands, so no GPR is needed to find the block.
/// </summary>
internal static class HostCpuHarness
{
    /// <summary>State block: input GPRs (16 qwords), input RFLAGS, output GPRs, output RFLAGS, saved host RSP.</summary>
    public const ulong InputRegisters = SandboxLayout.StateBlockAddress;
    public const ulong InputRflags = InputRegisters + (8 * SandboxState.RegisterCount);
    public const ulong OutputRegisters = InputRflags + 8;
    public const ulong OutputRflags = OutputRegisters + (8 * SandboxState.RegisterCount);
    public const ulong SavedHostRsp = OutputRflags + 8;

    /// <summary>The epilogue sits in the second half of the harness page.</summary>
    public const ulong EpilogueAddress = SandboxLayout.HarnessAddress + 0x800;

    private static readonly AssemblerRegister64[] Registers =
        [rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi, r8, r9, r10, r11, r12, r13, r14, r15];

    private static readonly AssemblerRegister64[] CalleeSaved = [rbx, rbp, r12, r13, r14, r15];

    public static byte[] EncodePrologue()
    {
        var a = new Assembler(64);
        foreach (AssemblerRegister64 register in CalleeSaved)
        {
            a.push(register);
        }

        a.mov(__qword_ptr[(long)SavedHostRsp], rsp);

        // Flags first, while the host stack is still ours; the GPR loads below (mov) leave them alone.
        a.push(__qword_ptr[(long)InputRflags]);
        a.popfq();
        for (int i = 0; i < Registers.Length; i++)
        {
            a.mov(Registers[i], __qword_ptr[(long)(InputRegisters + (ulong)(8 * i))]);
        }

        a.jmp(SandboxLayout.SequenceAddress);
        return Assemble(a, SandboxLayout.HarnessAddress);
    }

    public static byte[] EncodeEpilogue()
    {
        var a = new Assembler(64);
        for (int i = 0; i < Registers.Length; i++)
        {
            a.mov(__qword_ptr[(long)(OutputRegisters + (ulong)(8 * i))], Registers[i]);
        }

        // Back on the host stack before pushfq: the sequence's stack must not be touched after it ends.
        a.mov(rsp, __qword_ptr[(long)SavedHostRsp]);
        a.pushfq();
        a.pop(__qword_ptr[(long)OutputRflags]);
        a.cld(); // the SysV ABI wants DF clear on return
        for (int i = CalleeSaved.Length - 1; i >= 0; i--)
        {
            a.pop(CalleeSaved[i]);
        }

        a.ret();
        return Assemble(a, EpilogueAddress);
    }

    /// <summary>The jump that ends a sequence placed at <paramref name="address"/> and returns control to the epilogue.</summary>
    public static byte[] EncodeReturnJump(ulong address)
    {
        var a = new Assembler(64);
        a.jmp(EpilogueAddress);
        return Assemble(a, address);
    }

    private static byte[] Assemble(Assembler assembler, ulong address)
    {
        using var stream = new MemoryStream();
        assembler.Assemble(new StreamCodeWriter(stream), address);
        return stream.ToArray();
    }
}
