using System;
using System.Collections.Generic;
using System.Globalization;
using EntryModel.Generators.Diagnostics;

namespace EntryModel.Generators.Syntax;

/// <summary>
/// A statement's labels and the word after them, with what that word makes of it: an assignment, or
/// a word the expander resolves (directive, macro call, <c>NAME(args)</c> macro call, instruction).
/// Pure syntax: whether a word names a macro is decided when the statement runs, since
/// <c>.macro</c> and <c>.purgem</c> change it.
/// </summary>
internal sealed class StatementBody
{
    private StatementBody(IReadOnlyList<LabelSyntax> labels, ParseOutcome<LabelSyntax>? badLabel)
    {
        Labels = labels;
        BadLabel = badLabel;
    }

    public IReadOnlyList<LabelSyntax> Labels { get; }

    /// <summary>A label that cannot be one (a local label number too large): reported after the labels before it are defined.</summary>
    public ParseOutcome<LabelSyntax>? BadLabel { get; }

    public StatementForm Form { get; private set; }

    /// <summary>The word after the labels: from here to the next blank.</summary>
    public int WordStart { get; private set; }

    public int WordEnd { get; private set; }

    public string Word { get; private set; } = string.Empty;

    /// <summary>The directive's name, lower-cased (empty unless <see cref="Form"/> is <see cref="StatementForm.Directive"/>).</summary>
    public string Directive { get; private set; } = string.Empty;

    /// <summary>An assignment's symbol as written (the expander trims it) and where its name and value start.</summary>
    public string AssignedName { get; private set; } = string.Empty;

    public int AssignedNameOffset { get; private set; }

    public int ValueStart { get; private set; }

    /// <summary>
    /// For <c>NAME(args)</c>: the name before the parenthesis, which GNU as ends a macro's name at,
    /// passing "(args)" as its argument (<see cref="CallArgumentsStart"/>); null when the word has none.
    /// </summary>
    public string? ParenthesisedName { get; private set; }

    public int CallArgumentsStart { get; private set; }

    public static StatementBody Parse(string text)
    {
        var labels = new List<LabelSyntax>();
        int pos = 0;

        // Labels: name: or 1:
        while (true)
        {
            int p = pos;
            while (p < text.Length && text[p] == ' ')
            {
                p++;
            }

            int s = p;
            if (p < text.Length && (ExpressionParser.IsSymbolStart(text[p]) || char.IsDigit(text[p])))
            {
                bool numeric = char.IsDigit(text[p]);
                while (p < text.Length && (numeric ? char.IsDigit(text[p]) : ExpressionParser.IsSymbolChar(text[p])))
                {
                    p++;
                }

                int nameEnd = p;
                // A local label may have blanks before its colon ("0 :", as kernel macros write it).
                while (numeric && p < text.Length && text[p] == ' ')
                {
                    p++;
                }

                if (p < text.Length && text[p] == ':' && (p + 1 >= text.Length || text[p + 1] != ':'))
                {
                    string name = text.Substring(s, nameEnd - s);
                    int? number = null;
                    if (numeric)
                    {
                        if (!int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out int n))
                        {
                            var bad = ParseOutcome<LabelSyntax>.Failure(new SyntaxException(DiagnosticIds.SyntaxError, $"local label number '{name}' is too large", s, p - s));
                            return new StatementBody(labels, bad) { Form = StatementForm.Empty };
                        }

                        number = n;
                    }

                    labels.Add(new LabelSyntax(name, s, number));
                    pos = p + 1;
                    continue;
                }
            }

            pos = s;
            break;
        }

        var body = new StatementBody(labels, null);
        if (pos >= text.Length)
        {
            return body;
        }

        body.ReadWord(text, pos);
        return body;
    }

    private void ReadWord(string text, int wordStart)
    {
        int pos = wordStart;
        while (pos < text.Length && text[pos] != ' ')
        {
            pos++;
        }

        string word = text.Substring(wordStart, pos - wordStart);
        WordStart = wordStart;
        WordEnd = pos;
        Word = word;
        Form = StatementForm.MacroCallOrInstruction;

        // name = expr
        int q = pos;
        while (q < text.Length && text[q] == ' ')
        {
            q++;
        }

        if (word.EndsWith("=", StringComparison.Ordinal) && word.Length > 1 && !word.EndsWith("==", StringComparison.Ordinal))
        {
            Assign(word.Substring(0, word.Length - 1), wordStart, pos);
            return;
        }

        if (q < text.Length && text[q] == '=' && (q + 1 >= text.Length || text[q + 1] != '='))
        {
            Assign(word, wordStart, q + 1);
            return;
        }

        // name=expr, written without blanks
        int eq = word.IndexOf('=');
        if (eq > 0 && (eq + 1 >= word.Length || word[eq + 1] != '=') && IsSymbolName(word.Substring(0, eq)))
        {
            Assign(word.Substring(0, eq), wordStart, wordStart + eq + 1);
            return;
        }

        int paren = word.IndexOf('(');
        if (paren > 0)
        {
            ParenthesisedName = word.Substring(0, paren);
            CallArgumentsStart = wordStart + paren;
        }

        if (word.StartsWith(".", StringComparison.Ordinal))
        {
            Form = StatementForm.Directive;
            Directive = word.ToLowerInvariant();
        }
    }

    private void Assign(string name, int nameOffset, int valueStart)
    {
        Form = StatementForm.Assignment;
        AssignedName = name;
        AssignedNameOffset = nameOffset;
        ValueStart = valueStart;
    }

    private static bool IsSymbolName(string s)
    {
        if (s.Length == 0 || !ExpressionParser.IsSymbolStart(s[0]))
        {
            return false;
        }

        foreach (char c in s)
        {
            if (!ExpressionParser.IsSymbolChar(c))
            {
                return false;
            }
        }

        return true;
    }
}
