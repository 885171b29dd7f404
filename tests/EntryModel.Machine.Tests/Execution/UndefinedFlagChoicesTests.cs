using EntryModel.Machine.Cpu;
using EntryModel.Machine.Execution;
using EntryModel.Machine.Tests.Support;
using Iced.Intel;
using static EntryModel.Machine.Cpu.RFlags;
using static Iced.Intel.AssemblerRegisters;

namespace EntryModel.Machine.Tests.Execution;

/// <summary>
/// Flags the SDM leaves undefined, pinned to what the project's host CPU (AMD EPYC) was measured
/// to produce for the same instructions and inputs (values recorded from a native run).
/// </summary>
public class UndefinedFlagChoicesTests
{
    private static ulong FlagsAfter(ulong flagsIn, Action<Assembler> setup, Action<Assembler> instruction)
    {
        var rig = new Rig();
        var stop = rig.RunKernel(a =>
        {
            setup(a);
            a.push((int)flagsIn);
            a.popfq();
            instruction(a);
        });
        Assert.That(stop.Kind, Is.EqualTo(StopKind.Halted));
        return rig.Cpu.Rflags & Arithmetic;
    }

    [TestCase(0x002UL, 0x095UL)]
    [TestCase(0x8D5UL, 0x095UL)]
    public void Shl_by_3(ulong flagsIn, ulong expected) =>
        Assert.That(FlagsAfter(flagsIn, a => a.mov(eax, 0x31), a => a.shl(al, 3)), Is.EqualTo(expected));

    [TestCase(0x002UL, 0x855UL)]
    public void Shl_by_2_to_zero(ulong flagsIn, ulong expected) =>
        Assert.That(FlagsAfter(flagsIn, a => a.mov(eax, 0x40), a => a.shl(al, 2)), Is.EqualTo(expected));

    [TestCase(0x002UL, 0x015UL)]
    public void Shr_by_3(ulong flagsIn, ulong expected) =>
        Assert.That(FlagsAfter(flagsIn, a => a.mov(eax, 0x8f), a => a.shr(al, 3)), Is.EqualTo(expected));

    [TestCase(0x8D5UL, 0x091UL)]
    public void Sar_by_3(ulong flagsIn, ulong expected) =>
        Assert.That(FlagsAfter(flagsIn, a => a.mov(eax, 0x8f), a => a.sar(al, 3)), Is.EqualTo(expected));

    [TestCase(0x002UL, 0x811UL, 3)]
    [TestCase(0x002UL, 0x010UL, 4)]
    public void Shl_64_multi_bit_OF_is_CF_xor_msb(ulong flagsIn, ulong expected, int count) =>
        Assert.That(FlagsAfter(flagsIn, a => { a.mov(rax, 0x6000000000000001); a.mov(ecx, count); }, a => a.shl(rax, cl)), Is.EqualTo(expected));

    [TestCase(0x8D5UL, 0x0D5UL)]
    [TestCase(0x002UL, 0x001UL)]
    public void Rol_by_3_writes_only_CF_and_OF(ulong flagsIn, ulong expected) =>
        Assert.That(FlagsAfter(flagsIn, a => a.mov(eax, 0x31), a => a.rol(al, 3)), Is.EqualTo(expected));

    [TestCase(0x8D5UL, 0x0D4UL)]
    [TestCase(0x002UL, 0x000UL)]
    public void Imul_keeps_SF_ZF_AF_PF(ulong flagsIn, ulong expected) =>
        Assert.That(FlagsAfter(flagsIn, a => { a.mov(rax, -3L); a.mov(ebx, 5); }, a => a.imul(rax, rbx)), Is.EqualTo(expected));

    [TestCase(0x8D5UL, 0x8D5UL)]
    [TestCase(0x002UL, 0x801UL)]
    public void Mul_overflow_keeps_SF_ZF_AF_PF(ulong flagsIn, ulong expected) =>
        Assert.That(FlagsAfter(flagsIn, a => { a.mov(rax, long.MinValue); a.mov(ebx, 4); }, a => a.mul(rbx)), Is.EqualTo(expected));

    [TestCase(0x002UL, 0x010UL)]
    [TestCase(0x8D5UL, 0x811UL)]
    [TestCase(0x0C2UL, 0x010UL)]
    public void Div_and_idiv_clear_SF_ZF_PF_set_AF_keep_CF_OF(ulong flagsIn, ulong expected)
    {
        Assert.That(FlagsAfter(flagsIn, a => { a.mov(eax, 100); a.xor(edx, edx); a.mov(ebx, 7); }, a => a.div(rbx)), Is.EqualTo(expected));
        Assert.That(FlagsAfter(flagsIn, a => { a.mov(eax, 49); a.xor(edx, edx); a.mov(ebx, 7); }, a => a.idiv(rbx)), Is.EqualTo(expected));
    }

    [TestCase(0x8D5UL, 0x8D4UL)]
    [TestCase(0x002UL, 0x000UL)]
    public void Bts_writes_only_CF(ulong flagsIn, ulong expected) =>
        Assert.That(FlagsAfter(flagsIn, a => a.mov(eax, 2), a => a.bts(rax, 0)), Is.EqualTo(expected));
}
