using System;
using System.Collections.Generic;
using Iced.Intel;

namespace EntryModel.Generators.Encoding;

/// <summary>What an AT&amp;T mnemonic means: the Iced mnemonic, the size suffix, and special spellings.</summary>
internal readonly struct MnemonicInfo
{
    public MnemonicInfo(Mnemonic mnemonic, int size, int sourceSize = 0, bool movabs = false)
    {
        Mnemonic = mnemonic;
        Size = size;
        SourceSize = sourceSize;
        Movabs = movabs;
    }

    public Mnemonic Mnemonic { get; }

    /// <summary>Operand size from the b/w/l/q suffix (8, 16, 32, 64), or 0 when none.</summary>
    public int Size { get; }

    /// <summary>Source size of <c>movzbl</c>-style spellings, or 0.</summary>
    public int SourceSize { get; }

    /// <summary><c>movabs</c>: the 64-bit immediate or 64-bit absolute address forms.</summary>
    public bool Movabs { get; }
}

/// <summary>
/// Translates AT&amp;T mnemonics to Iced's: exact names first, then the size suffix stripped, then the
/// AT&amp;T-only spellings (<c>movzbl</c>, <c>cltq</c>, <c>movabsq</c>, condition-code aliases).
/// </summary>
internal static class MnemonicTable
{
    private static readonly Dictionary<string, Mnemonic> IcedNames = BuildIcedNames();
    private static readonly Dictionary<string, MnemonicInfo> Aliases = BuildAliases();

    // Names that mean another instruction in 32-bit code (as --32): offered after the 64-bit
    // meaning; the selector keeps whichever the mode has.
    private static readonly Dictionary<string, MnemonicInfo> Aliases32 = new Dictionary<string, MnemonicInfo>(StringComparer.Ordinal)
    {
        ["pushf"] = new MnemonicInfo(Mnemonic.Pushfd, 0),
        ["popf"] = new MnemonicInfo(Mnemonic.Popfd, 0),
    };
    private static readonly Dictionary<string, string> ConditionAliases = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["z"] = "e", ["nz"] = "ne", ["c"] = "b", ["nae"] = "b", ["nc"] = "ae", ["nb"] = "ae",
        ["na"] = "be", ["nbe"] = "a", ["nge"] = "l", ["nl"] = "ge", ["ng"] = "le", ["nle"] = "g",
        ["pe"] = "p", ["po"] = "np",
    };

    private static readonly string[] ConditionPrefixes = { "cmov", "set", "j" };

    /// <summary>Candidate meanings of <paramref name="name"/>, most likely first.</summary>
    public static List<MnemonicInfo> Resolve(string name)
    {
        var result = new List<MnemonicInfo>();
        name = name.ToLowerInvariant();
        if (Aliases.TryGetValue(name, out var alias))
        {
            result.Add(alias);
            if (Aliases32.TryGetValue(name, out var alias32))
            {
                result.Add(alias32);
            }

            return result;
        }

        string canonical = CanonicalCondition(name);

        // The suffixed reading first: 'movq %rax, %rbx' is mov, and MMX's movq only takes MMX/XMM registers.
        if (canonical.Length > 1)
        {
            int size = canonical[canonical.Length - 1] switch { 'b' => 8, 'w' => 16, 'l' => 32, 'q' => 64, _ => 0 };
            if (size != 0)
            {
                string stem = canonical.Substring(0, canonical.Length - 1);
                if (Aliases.TryGetValue(stem, out var stemAlias) && stemAlias.Size == 0)
                {
                    result.Add(new MnemonicInfo(stemAlias.Mnemonic, size, stemAlias.SourceSize, stemAlias.Movabs));
                }
                else if (IcedNames.TryGetValue(CanonicalCondition(stem), out var stripped))
                {
                    result.Add(new MnemonicInfo(stripped, size));
                }
            }
        }

        if (IcedNames.TryGetValue(canonical, out var exact))
        {
            result.Add(new MnemonicInfo(exact, 0));
        }

        return result;
    }

    private static string CanonicalCondition(string name)
    {
        foreach (var prefix in ConditionPrefixes)
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal) && ConditionAliases.TryGetValue(name.Substring(prefix.Length), out var cc))
            {
                return prefix + cc;
            }
        }

        return name;
    }

    private static Dictionary<string, Mnemonic> BuildIcedNames()
    {
        var d = new Dictionary<string, Mnemonic>(StringComparer.Ordinal);
        foreach (Mnemonic m in Enum.GetValues(typeof(Mnemonic)))
        {
            d[m.ToString().ToLowerInvariant()] = m;
        }

        return d;
    }

    private static Dictionary<string, MnemonicInfo> BuildAliases()
    {
        var d = new Dictionary<string, MnemonicInfo>(StringComparer.Ordinal)
        {
            ["movzbw"] = new MnemonicInfo(Mnemonic.Movzx, 16, 8),
            ["movzbl"] = new MnemonicInfo(Mnemonic.Movzx, 32, 8),
            ["movzbq"] = new MnemonicInfo(Mnemonic.Movzx, 64, 8),
            ["movzwl"] = new MnemonicInfo(Mnemonic.Movzx, 32, 16),
            ["movzwq"] = new MnemonicInfo(Mnemonic.Movzx, 64, 16),
            ["movzb"] = new MnemonicInfo(Mnemonic.Movzx, 0, 8),
            ["movzw"] = new MnemonicInfo(Mnemonic.Movzx, 0, 16),
            ["movsbw"] = new MnemonicInfo(Mnemonic.Movsx, 16, 8),
            ["movsbl"] = new MnemonicInfo(Mnemonic.Movsx, 32, 8),
            ["movsbq"] = new MnemonicInfo(Mnemonic.Movsx, 64, 8),
            ["movswl"] = new MnemonicInfo(Mnemonic.Movsx, 32, 16),
            ["movswq"] = new MnemonicInfo(Mnemonic.Movsx, 64, 16),
            ["movslq"] = new MnemonicInfo(Mnemonic.Movsxd, 64, 32),
            ["movsxd"] = new MnemonicInfo(Mnemonic.Movsxd, 0, 0),
            ["cltq"] = new MnemonicInfo(Mnemonic.Cdqe, 0),
            ["cqto"] = new MnemonicInfo(Mnemonic.Cqo, 0),
            ["cltd"] = new MnemonicInfo(Mnemonic.Cdq, 0),
            ["cwtl"] = new MnemonicInfo(Mnemonic.Cwde, 0),
            ["cwtd"] = new MnemonicInfo(Mnemonic.Cwd, 0),
            ["cbtw"] = new MnemonicInfo(Mnemonic.Cbw, 0),
            ["movabs"] = new MnemonicInfo(Mnemonic.Mov, 0, 0, movabs: true),
            ["movabsq"] = new MnemonicInfo(Mnemonic.Mov, 64, 0, movabs: true),
            ["pushf"] = new MnemonicInfo(Mnemonic.Pushfq, 0),
            ["popf"] = new MnemonicInfo(Mnemonic.Popfq, 0),
            ["retq"] = new MnemonicInfo(Mnemonic.Ret, 0),
            ["callq"] = new MnemonicInfo(Mnemonic.Call, 0),
            ["jmpq"] = new MnemonicInfo(Mnemonic.Jmp, 0),
            ["leaveq"] = new MnemonicInfo(Mnemonic.Leave, 0),
            ["sal"] = new MnemonicInfo(Mnemonic.Shl, 0),
            ["iret"] = new MnemonicInfo(Mnemonic.Iretd, 0),
            ["pushfl"] = new MnemonicInfo(Mnemonic.Pushfd, 0),
            ["popfl"] = new MnemonicInfo(Mnemonic.Popfd, 0),
            ["pusha"] = new MnemonicInfo(Mnemonic.Pushad, 0),
            ["pushal"] = new MnemonicInfo(Mnemonic.Pushad, 0),
            ["popa"] = new MnemonicInfo(Mnemonic.Popad, 0),
            ["popal"] = new MnemonicInfo(Mnemonic.Popad, 0),
            ["lret"] = new MnemonicInfo(Mnemonic.Retf, 0),
        };
        return d;
    }
}
