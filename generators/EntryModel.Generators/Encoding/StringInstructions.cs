using System;
using System.Collections.Generic;
using Iced.Intel;

namespace EntryModel.Generators.Encoding;

/// <summary>
/// String instructions written without operands (<c>rep movsb</c>, <c>stosq</c>): Iced builds them
/// from its own factory methods, with the repeat prefix folded in, addressing through %rsi/%rdi in
/// 64-bit code and %esi/%edi in 32-bit code (which has no quadword forms).
/// </summary>
internal static class StringInstructions
{
    private static readonly Dictionary<string, Func<int, RepPrefixKind, Instruction>> Factories = new Dictionary<string, Func<int, RepPrefixKind, Instruction>>(StringComparer.Ordinal)
    {
        ["movsb"] = (a, r) => Instruction.CreateMovsb(a, Register.None, r),
        ["movsw"] = (a, r) => Instruction.CreateMovsw(a, Register.None, r),
        ["movsl"] = (a, r) => Instruction.CreateMovsd(a, Register.None, r),
        ["movsq"] = (a, r) => Instruction.CreateMovsq(a, Register.None, r),
        ["stosb"] = (a, r) => Instruction.CreateStosb(a, r),
        ["stosw"] = (a, r) => Instruction.CreateStosw(a, r),
        ["stosl"] = (a, r) => Instruction.CreateStosd(a, r),
        ["stosq"] = (a, r) => Instruction.CreateStosq(a, r),
        ["lodsb"] = (a, r) => Instruction.CreateLodsb(a, Register.None, r),
        ["lodsw"] = (a, r) => Instruction.CreateLodsw(a, Register.None, r),
        ["lodsl"] = (a, r) => Instruction.CreateLodsd(a, Register.None, r),
        ["lodsq"] = (a, r) => Instruction.CreateLodsq(a, Register.None, r),
        ["scasb"] = (a, r) => Instruction.CreateScasb(a, r),
        ["scasw"] = (a, r) => Instruction.CreateScasw(a, r),
        ["scasl"] = (a, r) => Instruction.CreateScasd(a, r),
        ["scasq"] = (a, r) => Instruction.CreateScasq(a, r),
        ["cmpsb"] = (a, r) => Instruction.CreateCmpsb(a, Register.None, r),
        ["cmpsw"] = (a, r) => Instruction.CreateCmpsw(a, Register.None, r),
        ["cmpsl"] = (a, r) => Instruction.CreateCmpsd(a, Register.None, r),
        ["cmpsq"] = (a, r) => Instruction.CreateCmpsq(a, Register.None, r),
    };

    public static bool TryGet(string mnemonic, int bitness, out Func<RepPrefixKind, Instruction> factory)
    {
        string name = mnemonic.ToLowerInvariant();
        if (!Factories.TryGetValue(name, out var make) || (bitness == 32 && name.EndsWith("q", StringComparison.Ordinal)))
        {
            factory = null!;
            return false;
        }

        factory = r => make(bitness, r);
        return true;
    }
}
