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
    private void Directive(string word, StatementSyntax syntax, int wordStart, int argsStart, SourceRef src, int depth)
    {
        string text = syntax.Text;
        switch (word)
        {
            case ".set":
            case ".equ":
            case ".equiv":
                {
                    var assignment = syntax.NamedValue ?? throw new SyntaxException(DiagnosticIds.SyntaxError, $"{word} needs 'name, value'", argsStart, text.Length - argsStart);
                    SetSymbol(assignment.Name, syntax, assignment.ValueStart, src, assignment.NameOffset, equiv: word == ".equiv");
                    return;
                }

            case ".byte":
                Data(1, syntax, argsStart, src);
                return;
            case ".word":
            case ".short":
            case ".value":
            case ".hword":
            case ".2byte":
                Data(2, syntax, argsStart, src);
                return;
            case ".long":
            case ".int":
            case ".4byte":
                Data(4, syntax, argsStart, src);
                return;
            case ".quad":
            case ".8byte":
                Data(8, syntax, argsStart, src);
                return;
            case ".uleb128":
            case ".sleb128":
                Leb(word == ".sleb128", syntax, argsStart, src);
                return;
            case ".ascii":
            case ".asciz":
            case ".string":
                Ascii(syntax, argsStart, word != ".ascii", src);
                return;
            case ".skip":
            case ".space":
            case ".zero":
                {
                    var args = syntax.Arguments(argsStart);
                    var sizeExpression = ParseBound(syntax, args[0].Item1, args[0].Item2, src);
                    long fill = word != ".zero" && args.Count > 1 ? Evaluator.EvaluateAbsolute(ParseBound(syntax, args[1].Item1, args[1].Item2, src), "the fill") : 0;
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
                    var args = syntax.Arguments(argsStart);
                    var repeatExpression = ParseBound(syntax, args[0].Item1, args[0].Item2, src);
                    long size = args.Count > 1 ? Evaluator.EvaluateAbsolute(ParseBound(syntax, args[1].Item1, args[1].Item2, src), "the size") : 1;
                    long value = args.Count > 2 ? Evaluator.EvaluateAbsolute(ParseBound(syntax, args[2].Item1, args[2].Item2, src), "the value") : 0;
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
                    var args = syntax.Arguments(argsStart);
                    long count = Evaluator.EvaluateAbsolute(ParseBound(syntax, args[0].Item1, args[0].Item2, src), "the size");
                    CheckCount(count, text, argsStart);
                    var bytes = new byte[count];
                    NopPatterns.Fill(bytes, 0, (int)count, Bitness);
                    RequireCode(word, wordStart, word.Length).Items.Add(new BytesItem(src, bytes));
                    return;
                }

            case ".org":
                {
                    var args = syntax.Arguments(argsStart);
                    var target = ParseBound(syntax, args[0].Item1, args[0].Item2, src);
                    long fill = args.Count > 1 ? Evaluator.EvaluateAbsolute(ParseBound(syntax, args[1].Item1, args[1].Item2, src), "the fill") : 0;
                    RequireCode(word, wordStart, word.Length).Items.Add(new OrgItem(src, target, (int)fill));
                    return;
                }

            case ".p2align":
            case ".balign":
            case ".align":
                {
                    var args = syntax.Arguments(argsStart);
                    long n = Evaluator.EvaluateAbsolute(ParseBound(syntax, args[0].Item1, args[0].Item2, src), "the alignment");
                    long alignment = word == ".p2align" ? (n >= 0 && n < 31 ? 1L << (int)n : -1) : n;
                    if (alignment <= 0 || (alignment & (alignment - 1)) != 0 || alignment > (1 << 20))
                    {
                        throw new SyntaxException(DiagnosticIds.ValueOutOfRange, "alignment must be a power of two up to 1 MiB", args[0].Item1, args[0].Item2 - args[0].Item1);
                    }

                    int? fill = null;
                    if (args.Count > 1 && args[1].Item2 > args[1].Item1)
                    {
                        fill = (int)Evaluator.EvaluateAbsolute(ParseBound(syntax, args[1].Item1, args[1].Item2, src), "the fill");
                    }

                    int max = args.Count > 2 ? (int)Evaluator.EvaluateAbsolute(ParseBound(syntax, args[2].Item1, args[2].Item2, src), "the maximum skip") : 0;
                    RequireCode(word, wordStart, word.Length).Items.Add(new AlignItem(src, (int)alignment, fill, max));
                    return;
                }

            case ".globl":
            case ".global":
            case ".weak":
                // Every label of a model is visible to all its declarations; what binding changes is
                // which references GNU as leaves to the linker (see Expander.Globals).
                foreach (var a in syntax.Arguments(argsStart))
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
                    var args = syntax.Arguments(argsStart);
                    if (args.Count == 1)
                    {
                        // GNU as takes the comma as optional: ".type sym STT_FUNC".
                        int blank = text.IndexOf(' ', args[0].Item1);
                        if (blank > 0 && blank < args[0].Item2)
                        {
                            args = new List<(int Start, int End)> { (args[0].Item1, blank), (SkipSpaces(text, blank), args[0].Item2) };
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
                    var size = syntax.NamedValue ?? throw new SyntaxException(DiagnosticIds.SyntaxError, ".size needs 'name, size'", argsStart, text.Length - argsStart);
                    string name = size.Name.Trim();
                    var expr = ParseBound(syntax, size.ValueStart, text.Length, src);
                    if (!Symbols.TryGetValue(Mangle(name), out var sym) || sym.Kind != AsmSymbolKind.Label)
                    {
                        throw new SyntaxException(DiagnosticIds.UndefinedSymbol, $".size names '{name}', which is not a label defined before it", size.NameOffset, name.Length);
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
                    var args = syntax.Arguments(argsStart);
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
                        long entrySize = args.Count > 3 ? Evaluator.EvaluateAbsolute(ParseBound(syntax, args[3].Item1, args[3].Item2, src), "the entry size") : 0;
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

            case ".code64":
            case ".code32":
                CodeSize(word, wordStart);
                return;
            case ".print":
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
                    CallFrameDirective(word, syntax, wordStart, argsStart, src);
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

    private void Data(int unit, StatementSyntax syntax, int argsStart, SourceRef src)
    {
        var values = new List<Expression>();
        foreach (var (s, e) in syntax.Arguments(argsStart))
        {
            values.Add(ParseBound(syntax, s, e, src, (long)values.Count * unit));
        }

        RequireCode("data", argsStart, syntax.Text.Length - argsStart).Items.Add(new DataItem(src, unit, values));
    }

    private void Leb(bool signed, StatementSyntax syntax, int argsStart, SourceRef src)
    {
        var values = new List<Expression>();
        var args = syntax.Arguments(argsStart);
        foreach (var (s, e) in args)
        {
            values.Add(ParseBound(syntax, s, e, src));
        }

        int first = args.Count > 0 ? args[0].Item1 : argsStart;
        int end = args.Count > 0 ? args[args.Count - 1].Item2 : argsStart;
        string text = syntax.Text.Substring(first, end - first);
        int lead = text.Length - text.TrimStart().Length;
        RequireCode("data", argsStart, syntax.Text.Length - argsStart).Items.Add(new LebItem(src, signed, values, first + lead, text.Trim().Length));
    }

    private void Ascii(StatementSyntax syntax, int argsStart, bool zeroTerminated, SourceRef src)
    {
        var bytes = syntax.Strings(argsStart, zeroTerminated);
        RequireCode("data", argsStart, syntax.Text.Length - argsStart).Items.Add(new BytesItem(src, bytes));
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
