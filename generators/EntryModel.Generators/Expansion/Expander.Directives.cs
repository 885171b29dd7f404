using System;
using System.Collections.Generic;
using System.Text;
using EntryModel.Generators.Diagnostics;
using EntryModel.Generators.Encoding;
using EntryModel.Generators.Syntax;

namespace EntryModel.Generators.Expansion;

/// <summary>Assembler directives.</summary>
internal sealed partial class Expander
{
    private void Directive(string word, string text, int wordStart, int argsStart, SourceRef src, int depth)
    {
        switch (word)
        {
            case ".set":
            case ".equ":
            case ".equiv":
                {
                    int comma = text.IndexOf(',', argsStart);
                    if (comma < 0)
                    {
                        throw new SyntaxException(DiagnosticIds.SyntaxError, $"{word} needs 'name, value'", argsStart, text.Length - argsStart);
                    }

                    SetSymbol(text.Substring(argsStart, comma - argsStart), text, comma + 1, src, SkipSpaces(text, argsStart), equiv: word == ".equiv");
                    return;
                }

            case ".byte":
                Data(1, text, argsStart, src);
                return;
            case ".word":
            case ".short":
            case ".value":
            case ".hword":
            case ".2byte":
                Data(2, text, argsStart, src);
                return;
            case ".long":
            case ".int":
            case ".4byte":
                Data(4, text, argsStart, src);
                return;
            case ".quad":
            case ".8byte":
                Data(8, text, argsStart, src);
                return;
            case ".ascii":
            case ".asciz":
            case ".string":
                Ascii(text, argsStart, word != ".ascii", src);
                return;
            case ".skip":
            case ".space":
            case ".zero":
                {
                    var args = SplitArgs(text, argsStart);
                    var sizeExpression = ParseBound(text, args[0].Item1, args[0].Item2, src);
                    long fill = word != ".zero" && args.Count > 1 ? Evaluator.EvaluateAbsolute(ParseBound(text, args[1].Item1, args[1].Item2, src), "the fill") : 0;
                    if (IsLayoutDependent(sizeExpression))
                    {
                        // Sized by labels not placed yet (ALTERNATIVE's padding): the layout sizes it each pass, as GNU as relaxes a variable .space.
                        RequireCode(word, wordStart, word.Length).Items.Add(new FillItem(src, 0, 1, fill) { CountExpression = sizeExpression });
                        return;
                    }

                    long count = Evaluator.EvaluateAbsolute(sizeExpression, "the size");
                    CheckCount(count, text, argsStart);
                    RequireCode(word, wordStart, word.Length).Items.Add(new FillItem(src, (int)count, 1, fill));
                    return;
                }

            case ".fill":
                {
                    var args = SplitArgs(text, argsStart);
                    var repeatExpression = ParseBound(text, args[0].Item1, args[0].Item2, src);
                    long size = args.Count > 1 ? Evaluator.EvaluateAbsolute(ParseBound(text, args[1].Item1, args[1].Item2, src), "the size") : 1;
                    long value = args.Count > 2 ? Evaluator.EvaluateAbsolute(ParseBound(text, args[2].Item1, args[2].Item2, src), "the value") : 0;
                    if (size < 0 || size > 8)
                    {
                        throw new SyntaxException(DiagnosticIds.ValueOutOfRange, ".fill size must be 0..8", args[1].Item1, args[1].Item2 - args[1].Item1);
                    }

                    if (IsLayoutDependent(repeatExpression))
                    {
                        RequireCode(word, wordStart, word.Length).Items.Add(new FillItem(src, 0, (int)size, value) { CountExpression = repeatExpression });
                        return;
                    }

                    long repeat = Evaluator.EvaluateAbsolute(repeatExpression, "the repeat count");
                    CheckCount(repeat, text, argsStart);
                    RequireCode(word, wordStart, word.Length).Items.Add(new FillItem(src, (int)repeat, (int)size, value));
                    return;
                }

            case ".nops":
                {
                    var args = SplitArgs(text, argsStart);
                    long count = Evaluator.EvaluateAbsolute(ParseBound(text, args[0].Item1, args[0].Item2, src), "the size");
                    CheckCount(count, text, argsStart);
                    var bytes = new byte[count];
                    NopPatterns.Fill(bytes, 0, (int)count);
                    RequireCode(word, wordStart, word.Length).Items.Add(new BytesItem(src, bytes));
                    return;
                }

            case ".org":
                {
                    var args = SplitArgs(text, argsStart);
                    var target = ParseBound(text, args[0].Item1, args[0].Item2, src);
                    long fill = args.Count > 1 ? Evaluator.EvaluateAbsolute(ParseBound(text, args[1].Item1, args[1].Item2, src), "the fill") : 0;
                    RequireCode(word, wordStart, word.Length).Items.Add(new OrgItem(src, target, (int)fill));
                    return;
                }

            case ".p2align":
            case ".balign":
            case ".align":
                {
                    var args = SplitArgs(text, argsStart);
                    long n = Evaluator.EvaluateAbsolute(ParseBound(text, args[0].Item1, args[0].Item2, src), "the alignment");
                    long alignment = word == ".p2align" ? (n >= 0 && n < 31 ? 1L << (int)n : -1) : n;
                    if (alignment <= 0 || (alignment & (alignment - 1)) != 0 || alignment > (1 << 20))
                    {
                        throw new SyntaxException(DiagnosticIds.ValueOutOfRange, "alignment must be a power of two up to 1 MiB", args[0].Item1, args[0].Item2 - args[0].Item1);
                    }

                    int? fill = null;
                    if (args.Count > 1 && args[1].Item2 > args[1].Item1)
                    {
                        fill = (int)Evaluator.EvaluateAbsolute(ParseBound(text, args[1].Item1, args[1].Item2, src), "the fill");
                    }

                    int max = args.Count > 2 ? (int)Evaluator.EvaluateAbsolute(ParseBound(text, args[2].Item1, args[2].Item2, src), "the maximum skip") : 0;
                    RequireCode(word, wordStart, word.Length).Items.Add(new AlignItem(src, (int)alignment, fill, max));
                    return;
                }

            case ".globl":
            case ".global":
            case ".weak":
                // Every label of a model is visible to all its declarations; what binding changes is
                // which references GNU as leaves to the linker (see Expander.Globals).
                foreach (var a in SplitArgs(text, argsStart))
                {
                    string global = Mangle(text.Substring(a.Item1, a.Item2 - a.Item1).Trim());
                    Globals.Add(global);
                    if (word == ".weak")
                    {
                        Weak.Add(global);
                    }
                }

                return;
            case ".local":
            case ".hidden":
            case ".protected":
            case ".internal":
                // Every label of a model is visible to all its declarations; binding is ELF's concern.
                return;
            case ".type":
                {
                    var args = SplitArgs(text, argsStart);
                    if (args.Count == 1)
                    {
                        // GNU as takes the comma as optional: ".type sym STT_FUNC".
                        int blank = text.IndexOf(' ', args[0].Item1);
                        if (blank > 0 && blank < args[0].Item2)
                        {
                            args = new List<Tuple<int, int>> { Tuple.Create(args[0].Item1, blank), Tuple.Create(SkipSpaces(text, blank), args[0].Item2) };
                        }
                    }

                    if (args.Count < 2)
                    {
                        throw new SyntaxException(DiagnosticIds.SyntaxError, ".type needs 'name, @function|@object'", argsStart, text.Length - argsStart);
                    }

                    string name = text.Substring(args[0].Item1, args[0].Item2 - args[0].Item1);
                    string type = text.Substring(args[1].Item1, args[1].Item2 - args[1].Item1).TrimStart('@', '%').Trim('"').ToLowerInvariant();
                    int kind = SymbolTypeKind(type);
                    if (kind == -2)
                    {
                        throw new SyntaxException(DiagnosticIds.SyntaxError, $"unknown symbol type '{type}'", args[1].Item1, args[1].Item2 - args[1].Item1);
                    }

                    if (Symbols.TryGetValue(Mangle(name), out var sym))
                    {
                        sym.TypeKind = kind;
                    }
                    else
                    {
                        pendingTypes[Mangle(name)] = kind;
                    }

                    return;
                }

            case ".size":
                {
                    int comma = text.IndexOf(',', argsStart);
                    if (comma < 0)
                    {
                        throw new SyntaxException(DiagnosticIds.SyntaxError, ".size needs 'name, size'", argsStart, text.Length - argsStart);
                    }

                    string name = text.Substring(argsStart, comma - argsStart).Trim();
                    var expr = ParseBound(text, comma + 1, text.Length, src);
                    if (!Symbols.TryGetValue(Mangle(name), out var sym) || sym.Kind != AsmSymbolKind.Label)
                    {
                        throw new SyntaxException(DiagnosticIds.UndefinedSymbol, $".size names '{name}', which is not a label defined before it", SkipSpaces(text, argsStart), name.Length);
                    }

                    sym.SizeExpression = expr;
                    sym.SizeSource = src;
                    return;
                }

            case ".text":
            case ".data":
            case ".bss":
            case ".rodata":
                SwitchSection(word, push: false);
                return;
            case ".section":
            case ".pushsection":
                {
                    var args = SplitArgs(text, argsStart);
                    if (args.Count == 0 || args[0].Item2 <= args[0].Item1)
                    {
                        throw new SyntaxException(DiagnosticIds.SyntaxError, $"{word} needs a section name", argsStart, 0);
                    }

                    string name = text.Substring(args[0].Item1, args[0].Item2 - args[0].Item1).Trim('"');
                    if (args.Count > 1 && !SectionFlags.ContainsKey(name))
                    {
                        // The first flags given name the section's kind ("ax": code, "aw": data),
                        // and what follows them its ELF type and entry size (@progbits, 8).
                        SectionFlags[name] = text.Substring(args[1].Item1, args[1].Item2 - args[1].Item1).Trim().Trim('"');
                        string? type = args.Count > 2 ? text.Substring(args[2].Item1, args[2].Item2 - args[2].Item1).Trim().TrimStart('@', '%').Trim('"') : null;
                        long entrySize = args.Count > 3 ? Evaluator.EvaluateAbsolute(ParseBound(text, args[3].Item1, args[3].Item2, src), "the entry size") : 0;
                        SectionTypes[name] = (type, entrySize);
                    }

                    SwitchSection(name, push: word == ".pushsection");
                    return;
                }

            case ".popsection":
                if (sectionStack.Count == 0)
                {
                    throw new SyntaxException(DiagnosticIds.SyntaxError, ".popsection without .pushsection", wordStart, word.Length);
                }

                previous = current;
                current = sectionStack.Pop();
                return;
            case ".previous":
                if (previous == null)
                {
                    throw new SyntaxException(DiagnosticIds.SyntaxError, ".previous with no previous section", wordStart, word.Length);
                }

                (current, previous) = (previous, current);
                return;
            case ".purgem":
                macros.Remove(text.Substring(argsStart).Trim());
                return;
            case ".error":
            case ".err":
                {
                    string message = text.Substring(argsStart).Trim().Trim('"');
                    throw new SyntaxException(DiagnosticIds.AssemblerError, message.Length > 0 ? message : ".error encountered", wordStart, text.Length - wordStart);
                }

            case ".print":
            case ".code64":
            case ".att_syntax":
            case ".file":
            case ".loc":
            case ".ident":
            case ".func":
            case ".endfunc":
                return;
            case ".intel_syntax":
                throw new SyntaxException(DiagnosticIds.UnknownDirective, "EntryModel reads AT&T syntax only", wordStart, word.Length);
            default:
                if (word.StartsWith(".cfi_", StringComparison.Ordinal))
                {
                    // DWARF CFI annotations: accepted; the ORC strategy uses its own unwind hints.
                    return;
                }

                throw new SyntaxException(DiagnosticIds.UnknownDirective, $"unknown directive '{word}'", wordStart, word.Length);
        }
    }

    private readonly Dictionary<string, int> pendingTypes = new Dictionary<string, int>(StringComparer.Ordinal);

    private static int SkipSpaces(string text, int i)
    {
        while (i < text.Length && text[i] == ' ')
        {
            i++;
        }

        return i;
    }

    /// <summary>Whether a size can only be known once labels are placed (it names labels and is not yet known).</summary>
    private bool IsLayoutDependent(Expression e)
    {
        try
        {
            var v = Evaluator.Evaluate(e);
            return !v.Known && !v.Relocatable;
        }
        catch (SyntaxException)
        {
            return false;
        }
    }

    private static void CheckCount(long count, string text, int at)
    {
        if (count < 0 || count > (16 << 20))
        {
            throw new SyntaxException(DiagnosticIds.ValueOutOfRange, $"size {count} is out of range (0..16 MiB)", at, text.Length - at);
        }
    }

    /// <summary>Comma-separated argument spans (start, end) at top level.</summary>
    private static List<Tuple<int, int>> SplitArgs(string text, int start)
    {
        var result = new List<Tuple<int, int>>();
        int depth = 0;
        int begin = start;
        bool inString = false;
        for (int i = start; i <= text.Length; i++)
        {
            char c = i < text.Length ? text[i] : ',';
            if (c == '"' && i < text.Length)
            {
                inString = !inString;
            }

            if (inString)
            {
                continue;
            }

            if (c == '(')
            {
                depth++;
            }
            else if (c == ')')
            {
                depth--;
            }
            else if (c == ',' && depth <= 0)
            {
                int s = SkipSpaces(text, begin);
                int e = i;
                while (e > s && text[e - 1] == ' ')
                {
                    e--;
                }

                if (!(i == text.Length && s == e && result.Count == 0))
                {
                    result.Add(Tuple.Create(s, e));
                }

                begin = i + 1;
            }
        }

        if (result.Count == 0)
        {
            throw new SyntaxException(DiagnosticIds.SyntaxError, "argument expected", start, 0);
        }

        return result;
    }

    private void Data(int unit, string text, int argsStart, SourceRef src)
    {
        var values = new List<Expression>();
        foreach (var (s, e) in SplitArgs(text, argsStart))
        {
            values.Add(ParseBound(text, s, e, src, (long)values.Count * unit));
        }

        RequireCode("data", argsStart, text.Length - argsStart).Items.Add(new DataItem(src, unit, values));
    }

    private void Ascii(string text, int argsStart, bool zeroTerminated, SourceRef src)
    {
        var bytes = new List<byte>();
        foreach (var (s, e) in SplitArgs(text, argsStart))
        {
            if (e - s < 2 || text[s] != '"' || text[e - 1] != '"')
            {
                throw new SyntaxException(DiagnosticIds.SyntaxError, "a string in double quotes expected", s, e - s);
            }

            for (int i = s + 1; i < e - 1; i++)
            {
                char c = text[i];
                if (c == '\\' && i + 1 < e - 1)
                {
                    i++;
                    c = text[i];
                    switch (c)
                    {
                        case 'n': bytes.Add(10); continue;
                        case 't': bytes.Add(9); continue;
                        case 'r': bytes.Add(13); continue;
                        case 'b': bytes.Add(8); continue;
                        case 'f': bytes.Add(12); continue;
                        case '\\': bytes.Add(92); continue;
                        case '"': bytes.Add(34); continue;
                        default:
                            if (c >= '0' && c <= '7')
                            {
                                int v = 0, n = 0;
                                while (n < 3 && i < e - 1 && text[i] >= '0' && text[i] <= '7')
                                {
                                    v = (v * 8) + (text[i] - '0');
                                    i++;
                                    n++;
                                }

                                i--;
                                bytes.Add((byte)v);
                                continue;
                            }

                            bytes.Add((byte)c);
                            continue;
                    }
                }

                foreach (byte b in System.Text.Encoding.UTF8.GetBytes(c.ToString()))
                {
                    bytes.Add(b);
                }
            }

            if (zeroTerminated)
            {
                bytes.Add(0);
            }
        }

        RequireCode("data", argsStart, text.Length - argsStart).Items.Add(new BytesItem(src, bytes.ToArray()));
    }

    private void SwitchSection(string name, bool push)
    {
        if (main == null)
        {
            throw new SyntaxException(DiagnosticIds.SyntaxError, "section directives in a declaration that holds no code", 0, 0);
        }

        if (push)
        {
            sectionStack.Push(current!);
        }

        previous = current;
        if (!declarationSections.TryGetValue(name, out var fragment))
        {
            fragment = new Fragment(declaration, name, isMain: false);
            declarationSections[name] = fragment;
            Fragments.Add(fragment);
        }

        current = fragment;
    }

    /// <summary>
    /// The runtime's SymbolKind for a <c>.type</c> name, in any spelling GNU as accepts (function,
    /// @function, %function, "function", STT_FUNC, ...): 0 function, 3 object, -1 no type, -2 unknown.
    /// </summary>
    private static int SymbolTypeKind(string type) => type switch
    {
        "function" or "stt_func" or "gnu_indirect_function" or "stt_gnu_ifunc" => 0,
        "object" or "stt_object" or "tls_object" or "stt_tls" or "common" or "stt_common" or "gnu_unique_object" => 3,
        "notype" or "stt_notype" => -1,
        _ => -2,
    };
}
