using System;
using System.Collections.Generic;
using Iced.Intel;

namespace EntryModel.Generators.Encoding;

/// <summary>
/// String instructions written without operands (<c>rep movsb</c>, <c>stosq</c>): Iced builds them
/// from its own factory methods, with the repeat prefix folded in.
/// </summary>
internal static class StringInstructions
{
    private static readonly Dictionary<string, Func<RepPrefixKind, Instruction>> Factories = new Dictionary<string, Func<RepPrefixKind, Instruction>>(StringComparer.Ordinal)
    {
        ["movsb"] = r => Instruction.CreateMovsb(64, Register.None, r),
        ["movsw"] = r => Instruction.CreateMovsw(64, Register.None, r),
        ["movsl"] = r => Instruction.CreateMovsd(64, Register.None, r),
        ["movsq"] = r => Instruction.CreateMovsq(64, Register.None, r),
        ["stosb"] = r => Instruction.CreateStosb(64, r),
        ["stosw"] = r => Instruction.CreateStosw(64, r),
        ["stosl"] = r => Instruction.CreateStosd(64, r),
        ["stosq"] = r => Instruction.CreateStosq(64, r),
        ["lodsb"] = r => Instruction.CreateLodsb(64, Register.None, r),
        ["lodsw"] = r => Instruction.CreateLodsw(64, Register.None, r),
        ["lodsl"] = r => Instruction.CreateLodsd(64, Register.None, r),
        ["lodsq"] = r => Instruction.CreateLodsq(64, Register.None, r),
        ["scasb"] = r => Instruction.CreateScasb(64, r),
        ["scasw"] = r => Instruction.CreateScasw(64, r),
        ["scasl"] = r => Instruction.CreateScasd(64, r),
        ["scasq"] = r => Instruction.CreateScasq(64, r),
        ["cmpsb"] = r => Instruction.CreateCmpsb(64, Register.None, r),
        ["cmpsw"] = r => Instruction.CreateCmpsw(64, Register.None, r),
        ["cmpsl"] = r => Instruction.CreateCmpsd(64, Register.None, r),
        ["cmpsq"] = r => Instruction.CreateCmpsq(64, Register.None, r),
    };

    public static bool TryGet(string mnemonic, out Func<RepPrefixKind, Instruction> factory) => Factories.TryGetValue(mnemonic.ToLowerInvariant(), out factory!);
}
