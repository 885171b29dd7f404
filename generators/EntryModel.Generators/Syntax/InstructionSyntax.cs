using System.Collections.Generic;

namespace EntryModel.Generators.Syntax;

/// <summary>
/// An instruction statement parsed: its prefixes (<c>lock</c>, <c>rep</c>, <c>repne</c> and their
/// spellings), its mnemonic and its AT&amp;T operands. The operands are shared by every run of the
/// statement and never changed: binding copies an operand whose value it changes.
/// </summary>
internal sealed class InstructionSyntax
{
    private readonly ParseOutcome<IReadOnlyList<Operand>>? operands;

    private InstructionSyntax(bool lockPrefix, bool rep, bool repne, int mnemonicStart, string mnemonic, ParseOutcome<IReadOnlyList<Operand>>? operands, string selectionKey)
    {
        Lock = lockPrefix;
        Rep = rep;
        Repne = repne;
        MnemonicStart = mnemonicStart;
        Mnemonic = mnemonic;
        this.operands = operands;
        SelectionKey = selectionKey;
    }

    public bool Lock { get; }

    public bool Rep { get; }

    public bool Repne { get; }

    /// <summary>A prefix alone on its statement (<c>lock ; btr ...</c>): GAS emits its byte.</summary>
    public bool PrefixOnly => operands == null;

    public int MnemonicStart { get; }

    /// <summary>The mnemonic as written (empty when <see cref="PrefixOnly"/>).</summary>
    public string Mnemonic { get; }

    /// <summary>The operands; throws what parsing them found.</summary>
    public IReadOnlyList<Operand> Operands => operands!.Value;

    /// <summary>The statement from its mnemonic on, with its prefixes: one selection serves every statement spelled so, when its operands are constants.</summary>
    public string SelectionKey { get; }

    public static InstructionSyntax Parse(string text, int wordStart)
    {
        int pos = wordStart;
        bool lockPrefix = false, rep = false, repne = false;
        string word;
        int wordEnd;
        while (true)
        {
            wordEnd = pos;
            while (wordEnd < text.Length && text[wordEnd] != ' ')
            {
                wordEnd++;
            }

            word = text.Substring(pos, wordEnd - pos).ToLowerInvariant();
            if (!IsPrefix(word))
            {
                break;
            }

            lockPrefix |= word == "lock";
            rep |= word == "rep" || word == "repe" || word == "repz";
            repne |= word == "repne" || word == "repnz";
            int next = wordEnd;
            while (next < text.Length && text[next] == ' ')
            {
                next++;
            }

            if (next >= text.Length)
            {
                return new InstructionSyntax(lockPrefix, rep, repne, wordStart, string.Empty, null, string.Empty);
            }

            pos = next;
        }

        int operandsStart = wordEnd;
        var parsed = ParseOutcome<IReadOnlyList<Operand>>.Of(() => OperandParser.ParseOperands(text, operandsStart));
        string key = text.Substring(pos) + (lockPrefix ? "\u0001l" : string.Empty) + (rep ? "\u0001r" : string.Empty) + (repne ? "\u0001n" : string.Empty);
        return new InstructionSyntax(lockPrefix, rep, repne, pos, text.Substring(pos, wordEnd - pos), parsed, key);
    }

    /// <summary>Instruction prefixes that GAS accepts as words before (or instead of) a mnemonic.</summary>
    private static bool IsPrefix(string word) => word == "lock" || word == "rep" || word == "repe" || word == "repz" || word == "repne" || word == "repnz";
}
