using static Iced.Intel.AssemblerRegisters;

namespace EntryModel.Oracles.Tests.Differential;

/// <summary>
/// A hand-worked sequence with a result computed on paper, so each executor is checked against
/// arithmetic rather than only against another executor.
/// </summary>
public static class KnownAnswer
{
    public static byte[] Code() => SequenceCode.Assemble(a =>
    {
        a.add(rax, rbx);                     // 0xFFFF_FFFF_FFFF_FFFF + 2 = 1, CF=1
        a.mov(__qword_ptr[rcx + 8], rax);    // data[8..16] = 1
        a.push(rax);                         // stack[top-8] = 1
        a.pop(rdx);                          // rdx = 1
        a.sub(__dword_ptr[rcx + 0x20], 5);   // data[0x20] dword: 3 - 5 = 0xFFFF_FFFE, CF=1 SF=1 AF=1
    });

    public static SandboxState Initial()
    {
        var state = new SandboxState();
        state.Registers[0] = ulong.MaxValue;          // rax
        state.Registers[3] = 2;                       // rbx
        state.Registers[1] = SandboxLayout.DataAddress; // rcx
        state.Registers[SandboxState.RspIndex] = SandboxLayout.StackTop;
        state.Data[0x20] = 3;
        return state;
    }

    public static void Verify(SandboxState initial, SandboxState final)
    {
        Assert.Multiple(() =>
        {
            Assert.That(final.Registers[0], Is.EqualTo(1UL), "rax");
            Assert.That(final.Registers[2], Is.EqualTo(1UL), "rdx");
            Assert.That(final.Registers[1], Is.EqualTo(initial.Registers[1]), "rcx");
            Assert.That(final.Registers[SandboxState.RspIndex], Is.EqualTo(SandboxLayout.StackTop), "rsp");
            Assert.That(BitConverter.ToUInt64(final.Data, 8), Is.EqualTo(1UL), "data[8]");
            Assert.That(BitConverter.ToUInt32(final.Data, 0x20), Is.EqualTo(0xFFFF_FFFEU), "data[0x20]");
            Assert.That(BitConverter.ToUInt64(final.StackWindow, SandboxLayout.StackWindowSize - 8), Is.EqualTo(1UL), "pushed value");

            // 3 - 5: borrow out (CF), sign (SF), borrow from bit 3 (AF), PF of 0xFE is 0 (seven ones), no OF.
            Assert.That(final.Rflags & (ulong)RflagsBits.Compared, Is.EqualTo((ulong)(RflagsBits.Carry | RflagsBits.Sign | RflagsBits.Adjust)), "rflags");
        });
    }
}
