using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using EntryModel.Generators.Diagnostics;
using EntryModel.Generators.Encoding;
using EntryModel.Generators.Syntax;
using Iced.Intel;

namespace EntryModel.Generators.Expansion;

/// <summary>Labels, directives, macro invocations and instructions.</summary>
internal sealed partial class Expander
{
    private void ProcessStatement(StatementSyntax syntax, SourceRef src, int depth)
    {
        var body = syntax.Body;
        foreach (var label in body.Labels)
        {
            if (label.Number is int n)
            {
                localLabelCounts.TryGetValue(n, out int count);
                localLabelCounts[n] = count + 1;
                DefineLabel(LocalName(n, count + 1), src, visible: false, typeKind: -1, atOffset: label.Offset);
            }
            else
            {
                DefineLabel(label.Name, src, visible: !label.Name.StartsWith(".L", StringComparison.Ordinal), typeKind: -1, atOffset: label.Offset);
            }
        }

        body.BadLabel?.ThrowIfFailed();
        switch (body.Form)
        {
            case StatementForm.Empty:
                return;
            case StatementForm.Assignment:
                SetSymbol(body.AssignedName, syntax, body.ValueStart, src, body.AssignedNameOffset);
                return;
        }

        // NAME(args): GNU as ends a macro's name at the parenthesis and passes "(args)" as its argument.
        if (body.ParenthesisedName is { } name && macros.TryGetValue(name, out var called))
        {
            Expand(called, syntax, body.CallArgumentsStart, src, depth);
            return;
        }

        if (body.Form == StatementForm.Directive)
        {
            Directive(body.Directive, syntax, body.WordStart, body.WordEnd, src, depth);
            return;
        }

        if (macros.TryGetValue(body.Word, out var macro))
        {
            Expand(macro, syntax, body.WordEnd, src, depth);
            return;
        }

        Instruction(syntax, src);
    }

    private static string LocalName(int number, int instance) => $"{number}\u0001{instance}";

    private string Mangle(string name) => name.StartsWith(".L", StringComparison.Ordinal) || name.IndexOf('\u0001') >= 0 ? name + "\u0001d" + declaration.ToString(CultureInfo.InvariantCulture) : name;

    private void DefineLabel(string name, SourceRef src, bool visible, int typeKind, int atOffset)
    {
        if (current == null)
        {
            throw new SyntaxException(DiagnosticIds.SyntaxError, $"label '{ExpressionEvaluator.Display(name)}' in a declaration that holds no code (use [GasCode])", atOffset, name.Length);
        }

        string key = Mangle(name);
        if (Symbols.TryGetValue(key, out var existing))
        {
            string where = existing.Source != null && existing.Source.Declaration >= 0 && existing.Source.Declaration < parsed.Count ? $" (first defined in '{parsed[existing.Source.Declaration].Source.Name}')" : string.Empty;
            throw new SyntaxException(DiagnosticIds.DuplicateSymbol, $"symbol '{ExpressionEvaluator.Display(name)}' is already defined{where}", atOffset, name.Length);
        }

        if (pendingTypes.TryGetValue(key, out int pendingType))
        {
            typeKind = pendingType;
        }

        var item = new LabelItem(src, key);
        current.Items.Add(item);
        Symbols[key] = new AsmSymbol(key, AsmSymbolKind.Label, src) { Fragment = current, Label = item, Visible = visible, TypeKind = typeKind, NameOffset = atOffset };
    }

    private string HiddenLabel(SourceRef src)
    {
        string name = $".Ldot\u0001{hiddenCounter++}";
        DefineLabel(name, src, visible: false, typeKind: -1, atOffset: 0);
        return Mangle(name);
    }

    /// <summary>Resolves 1f/1b to this declaration's numbered labels and '.' to a label at the current place.</summary>
    private Expression Bind(Expression e, SourceRef src, ref string? dot, long dotOffset = 0)
    {
        switch (e)
        {
            case LocalLabelExpression l:
                {
                    localLabelCounts.TryGetValue(l.Number, out int count);
                    int instance = l.Forward ? count + 1 : count;
                    if (instance == 0)
                    {
                        throw new SyntaxException(DiagnosticIds.UndefinedSymbol, $"no local label {l.Number}: before this reference", l.Offset, l.Length);
                    }

                    return new SymbolExpression(Mangle(LocalName(l.Number, instance)), l.Offset, l.Length);
                }

            case DotExpression d:
                {
                    dot ??= HiddenLabel(src);
                    var here = new SymbolExpression(dot, d.Offset, d.Length);
                    return dotOffset == 0 ? here : new BinaryExpression("+", here, new NumberExpression(dotOffset, d.Offset, d.Length), d.Offset, d.Length);
                }
            case SymbolExpression s:
                return BindSymbol(s);
            case UnaryExpression u:
                {
                    var o = Bind(u.Operand, src, ref dot, dotOffset);
                    return ReferenceEquals(o, u.Operand) ? u : new UnaryExpression(u.Operator, o, u.Offset, u.Length);
                }

            case BinaryExpression b:
                {
                    var l = Bind(b.Left, src, ref dot, dotOffset);
                    var r = Bind(b.Right, src, ref dot, dotOffset);
                    return ReferenceEquals(l, b.Left) && ReferenceEquals(r, b.Right) ? b : new BinaryExpression(b.Operator, l, r, b.Offset, b.Length);
                }

            default:
                return e;
        }
    }

    /// <summary>
    /// A reference to a symbol as GNU as binds it: a <c>.set</c> symbol means the value it has here,
    /// even if a later <c>.set</c> changes it (GAS clones a reassigned symbol so earlier uses keep
    /// theirs). A constant becomes its number; an expression of labels refers to this assignment
    /// by its own key. Labels and symbols not defined yet stay names.
    /// </summary>
    private Expression BindSymbol(SymbolExpression s)
    {
        string key = s.Name.StartsWith(".L", StringComparison.Ordinal) ? Mangle(s.Name) : s.Name;
        if (Symbols.TryGetValue(key, out var sym))
        {
            if (sym.Kind == AsmSymbolKind.Absolute && sym.Source != null)
            {
                return new NumberExpression(sym.Value, s.Offset, s.Length);
            }

            if (sym.Kind == AsmSymbolKind.Expression && sym.AssignmentKey != null)
            {
                return new SymbolExpression(sym.AssignmentKey, s.Offset, s.Length);
            }
        }

        return ReferenceEquals(key, s.Name) ? s : new SymbolExpression(key, s.Offset, s.Length);
    }

    /// <summary>
    /// Parses and binds an expression; <paramref name="dotOffset"/> is how far past the statement's
    /// start '.' is (a data directive's n-th value: GNU as's '.' is where that value goes).
    /// </summary>
    private Expression ParseBound(StatementSyntax syntax, int start, int end, SourceRef src, long dotOffset = 0)
    {
        string? dot = null;
        return Bind(syntax.Expression(start, end), src, ref dot, dotOffset);
    }

    private void SetSymbol(string name, StatementSyntax syntax, int exprStart, SourceRef src, int nameOffset, bool equiv = false)
    {
        name = name.Trim();
        if (name.Length == 0 || !ExpressionParser.IsSymbolStart(name[0]))
        {
            throw new SyntaxException(DiagnosticIds.SyntaxError, "symbol name expected", nameOffset, name.Length);
        }

        var expr = Flatten(ParseBound(syntax, exprStart, syntax.Text.Length, src));
        string key = Mangle(name);
        if (Symbols.TryGetValue(key, out var existing) && (existing.Kind == AsmSymbolKind.Label || equiv))
        {
            throw new SyntaxException(DiagnosticIds.DuplicateSymbol, $"symbol '{name}' is already defined", nameOffset, name.Length);
        }

        // How deep evaluating it would go through the symbols it names, known without evaluating:
        // a chain too deep is reported here, at once, instead of by an evaluation that walks it all.
        int chain = ChainDepth(expr, out var deepest);
        if (chain > ExpressionEvaluator.MaxDepth)
        {
            // Reported once: the symbol goes on as 0, so a chain repeated a million times is one
            // diagnostic, not a million.
            Symbols[key] = new AsmSymbol(key, AsmSymbolKind.Absolute, src) { Value = 0 };
            var at = (Expression?)deepest ?? expr;
            throw new SyntaxException(DiagnosticIds.ExpressionTooDeep, $"expression nests more than {ExpressionEvaluator.MaxDepth} levels deep through the symbols it names (a long chain of .set?)", at.Offset, at.Length);
        }

        var value = Evaluator.Evaluate(expr);
        var sym = new AsmSymbol(key, value.IsAbsoluteConstant ? AsmSymbolKind.Absolute : AsmSymbolKind.Expression, src)
        {
            Value = value.Number,
            Expression = value.IsAbsoluteConstant ? null : expr,
            ChainDepth = value.IsAbsoluteConstant ? 0 : chain,
        };
        Symbols[key] = sym;
        if (sym.Kind == AsmSymbolKind.Expression)
        {
            // Each assignment of an expression has its own key, so that uses bound to it keep it.
            sym.AssignmentKey = key + "\u0001v" + (assignments++).ToString(CultureInfo.InvariantCulture);
            Symbols[sym.AssignmentKey] = sym;
        }
    }

    /// <summary>The expression's own depth plus the deepest chain of earlier assignments it names (<paramref name="deepestAt"/>: that name).</summary>
    private int ChainDepth(Expression e, out SymbolExpression? deepestAt)
    {
        int deepest = 0;
        deepestAt = null;
        var pending = new Stack<Expression>();
        pending.Push(e);
        while (pending.Count > 0)
        {
            switch (pending.Pop())
            {
                case SymbolExpression s when Symbols.TryGetValue(s.Name, out var sym) && sym.Kind == AsmSymbolKind.Expression:
                    if (sym.ChainDepth > deepest || deepestAt is null)
                    {
                        deepest = Math.Max(deepest, sym.ChainDepth);
                        deepestAt = s;
                    }

                    break;
                case UnaryExpression u:
                    pending.Push(u.Operand);
                    break;
                case BinaryExpression b:
                    pending.Push(b.Left);
                    pending.Push(b.Right);
                    break;
            }
        }

        return e.Depth + deepest;
    }

    /// <summary>
    /// A <c>.set</c> value of the form label + constant, written as just that, as GNU as keeps an
    /// equated symbol (so <c>.set x, x+1</c> repeated stays one addition, not a chain as deep as the
    /// repeats). Anything else is kept as written.
    /// </summary>
    private Expression Flatten(Expression e)
    {
        if (e is NumberExpression || TryLinear(e, 0) is not { } linear)
        {
            return e;
        }

        if (linear.Symbol == null)
        {
            return new NumberExpression(linear.Constant, e.Offset, e.Length);
        }

        var symbol = new SymbolExpression(linear.Symbol, e.Offset, e.Length);
        return linear.Constant == 0 ? symbol : new BinaryExpression("+", symbol, new NumberExpression(linear.Constant, e.Offset, e.Length), e.Offset, e.Length);
    }

    /// <summary>The label and constant <paramref name="e"/> adds up to, through earlier assignments; null when it is not that simple.</summary>
    private (string? Symbol, long Constant)? TryLinear(Expression e, int depth)
    {
        if (depth > 64)
        {
            return null;
        }

        switch (e)
        {
            case NumberExpression n:
                return (null, n.Value);
            case SymbolExpression s when Symbols.TryGetValue(s.Name, out var sym):
                if (sym.Kind == AsmSymbolKind.Label)
                {
                    return (s.Name, 0);
                }

                // An earlier assignment, already flat; a global alias stays a name of its own.
                return sym.Kind == AsmSymbolKind.Expression && sym.Expression != null && !Globals.Contains(sym.Name) ? TryLinear(sym.Expression, depth + 1) : null;
            case UnaryExpression { Operator: '+' } u:
                return TryLinear(u.Operand, depth + 1);
            case BinaryExpression { Operator: "+" or "-" } b:
                {
                    if (TryLinear(b.Left, depth + 1) is not { } l || TryLinear(b.Right, depth + 1) is not { } r)
                    {
                        return null;
                    }

                    if (b.Operator == "+" && (l.Symbol == null || r.Symbol == null))
                    {
                        return (l.Symbol ?? r.Symbol, unchecked(l.Constant + r.Constant));
                    }

                    return b.Operator == "-" && r.Symbol == null ? (l.Symbol, unchecked(l.Constant - r.Constant)) : null;
                }

            default:
                return null;
        }
    }

    private void Expand(MacroDefinition macro, StatementSyntax syntax, int argsStart, SourceRef src, int depth)
    {
        string text = syntax.Text;
        if (depth >= MaxMacroDepth)
        {
            throw new SyntaxException(DiagnosticIds.MacroRecursion, $"macro '{macro.Name}' expands too deeply (recursion?)", 0, text.Length);
        }

        var args = syntax.MacroArguments(argsStart);
        // Sized for the macro's parameters: the kernel's macros are called thousands of times.
        var values = new Dictionary<string, string>(macro.Parameters.Count, StringComparer.Ordinal);
        var set = new HashSet<string>(StringComparer.Ordinal);
        int positional = 0;
        for (int a = 0; a < args.Count; a++)
        {
            var (argText, argOffset) = args[a];
            int eq = argText.IndexOf('=');
            if (eq > 0 && IsIdentifier(argText.Substring(0, eq)) && (eq + 1 >= argText.Length || argText[eq + 1] != '='))
            {
                string key = argText.Substring(0, eq);
                if (macro.Parameters.Find(p => p.Name == key) == null)
                {
                    throw new SyntaxException(DiagnosticIds.UnknownMacroParameter, $"macro '{macro.Name}' has no parameter '{key}'", argOffset, eq);
                }

                values[key] = MacroArguments.Unquote(argText.Substring(eq + 1));
                set.Add(key);
                continue;
            }

            while (positional < macro.Parameters.Count && set.Contains(macro.Parameters[positional].Name))
            {
                positional++;
            }

            if (positional >= macro.Parameters.Count)
            {
                throw new SyntaxException(DiagnosticIds.MacroArity, $"too many arguments for macro '{macro.Name}' (it takes {macro.Parameters.Count})", argOffset, argText.Length);
            }

            var param = macro.Parameters[positional];
            if (param.Vararg)
            {
                var rest = new List<string>();
                for (int r = a; r < args.Count; r++)
                {
                    rest.Add(args[r].Text);
                }

                values[param.Name] = string.Join(", ", rest);
                set.Add(param.Name);
                break;
            }

            values[param.Name] = MacroArguments.Unquote(argText);
            set.Add(param.Name);
            positional++;
        }

        foreach (var p in macro.Parameters)
        {
            if (!set.Contains(p.Name) || (values[p.Name].Length == 0 && p.Default != null))
            {
                if (p.Required)
                {
                    throw new SyntaxException(DiagnosticIds.MacroArity, $"macro '{macro.Name}' needs an argument for '{p.Name}'", 0, text.Length);
                }

                values[p.Name] = p.Default ?? string.Empty;
            }
        }

        int counter = macroCounter++;
        string stack = src.MacroStack.Length == 0
            ? $"{macro.Name} at {DeclarationName(src.Declaration)}:{src.Line + 1}"
            : $"{src.MacroStack} > {macro.Name}";
        var expanded = new List<(GasStatement, SourceRef)>(macro.Body.Count);
        foreach (var (s, bodySrc) in macro.Body)
        {
            string t;
            try
            {
                t = MacroArguments.Substitute(s.Text, values, counter, macro.Name, macro.InnerParameters);
            }
            catch (SyntaxException ex)
            {
                Report(bodySrc, ex);
                continue;
            }

            bool exact = ReferenceEquals(t, s.Text);
            AddSubstituted(expanded, s, t, new SourceRef(bodySrc.Declaration, bodySrc.Offset, exact ? s.Text : t, bodySrc.Line, stack, exact, bodySrc.SpanLength));
        }

        int openConditions = conditions.Count;
        Process(expanded, depth + 1);
        exitMacro = false;
        while (conditions.Count > openConditions)
        {
            Report(conditions[conditions.Count - 1].Opened, new SyntaxException(DiagnosticIds.UnbalancedConditional, $"this .if in macro '{macro.Name}' has no .endif inside the macro", -1, 0));
            conditions.RemoveAt(conditions.Count - 1);
        }
    }

    /// <summary>
    /// Adds a substituted statement, split into the statements GNU as would read from it (an argument
    /// may carry several, separated by <c>;</c>); pieces of a split one are reported as a whole.
    /// </summary>
    private static void AddSubstituted(List<(GasStatement, SourceRef)> into, GasStatement original, string text, SourceRef source)
    {
        if (ReferenceEquals(text, original.Text))
        {
            // Nothing was substituted: the statement, and its parse, run as they are.
            into.Add((original, source));
            return;
        }

        var pieces = StatementSplitter.SplitSubstituted(text);
        if (pieces == null)
        {
            into.Add((new GasStatement(original.Offset, text, original.Line), source));
            return;
        }

        foreach (var piece in pieces)
        {
            into.Add((new GasStatement(original.Offset, piece, original.Line), new SourceRef(source.Declaration, source.Offset, text, source.Line, source.MacroStack, false, source.SpanLength)));
        }
    }

    private readonly Dictionary<string, InstructionSelector.Selection> selections = new Dictionary<string, InstructionSelector.Selection>(StringComparer.Ordinal);

    private static bool IsConstantOnly(List<Operand> operands)
    {
        foreach (var op in operands)
        {
            if (op.Value != null && !IsConstant(op.Value))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsConstant(Expression e) => e switch
    {
        NumberExpression => true,
        UnaryExpression u => IsConstant(u.Operand),
        BinaryExpression b => IsConstant(b.Left) && IsConstant(b.Right),
        _ => false,
    };

    private string DeclarationName(int d) => d >= 0 && d < parsed.Count ? parsed[d].Source.Name : "?";

    private static bool IsIdentifier(string s)
    {
        if (s.Length == 0 || !(char.IsLetter(s[0]) || s[0] == '_'))
        {
            return false;
        }

        foreach (char c in s)
        {
            if (!(char.IsLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A call, jump or conditional jump: the branches a PLT entry can stand in for (not jcxz/jecxz/jrcxz, whose target is 8 bits).</summary>
    private static bool IsDirectBranch(string mnemonic)
    {
        string m = mnemonic.ToLowerInvariant();
        return m is "call" or "callq" or "jmp" or "jmpq" || (m.Length > 1 && m[0] == 'j' && !m.EndsWith("cxz", StringComparison.Ordinal));
    }

    private Fragment RequireCode(string what, int offset, int length)
    {
        if (current == null)
        {
            throw new SyntaxException(DiagnosticIds.SyntaxError, $"{what} in a declaration that holds no code (use [GasCode] for code and data)", offset, length);
        }

        return current;
    }

    private void Instruction(StatementSyntax syntax, SourceRef src)
    {
        var instruction = syntax.Instruction;
        bool lockPrefix = instruction.Lock, rep = instruction.Rep, repne = instruction.Repne;
        if (instruction.PrefixOnly)
        {
            // A prefix alone on its statement: emit its byte, as GAS does ("lock ; btr ...").
            int wordStart = syntax.Body.WordStart;
            var frag = RequireCode("an instruction prefix", wordStart, syntax.Text.Length - wordStart);
            byte b = lockPrefix ? (byte)0xF0 : repne ? (byte)0xF2 : (byte)0xF3;
            frag.Items.Add(new BytesItem(src, new[] { b }));
            return;
        }

        int pos = instruction.MnemonicStart;
        string mnemonic = instruction.Mnemonic;
        var fragment = RequireCode("an instruction", pos, mnemonic.Length);

        // The parsed operands are shared by every run of the statement: one whose value binding
        // changes (1f, '.', a .set symbol) is copied, never changed in place.
        var parsedOperands = instruction.Operands;
        var operands = new List<Operand>(parsedOperands.Count);
        string? dot = null;
        foreach (var op in parsedOperands)
        {
            var bound = op.Value != null ? Bind(op.Value, src, ref dot) : null;
            if (bound is SymbolExpression s && Bitness == 64 && !op.Indirect && op.Base == Iced.Intel.Register.None && IsDirectBranch(mnemonic) && RelocationOperators.PltBranchTarget(s) is { } target)
            {
                // GNU as assembles a 64-bit call or jump to foo@PLT as one to foo.
                bound = target;
            }

            if (RelocationOperators.Find(bound) is { } unsupported)
            {
                throw RelocationOperators.NotSupported(unsupported);
            }

            operands.Add(ReferenceEquals(bound, op.Value) ? op : op.WithValue(bound));
        }

        if (operands.Count == 0 && StringInstructions.TryGet(mnemonic, Bitness, out var factory))
        {
            var kind = rep ? RepPrefixKind.Repe : repne ? RepPrefixKind.Repne : RepPrefixKind.None;
            var built = factory(kind);
            fragment.Items.Add(new InstructionItem(src, built.Code, operands) { Factory = () => factory(kind), HasLock = lockPrefix, Owner = fragment });
            return;
        }

        // Macro-expanded entry code repeats the same statements: a statement of registers and
        // constants always selects the same form, so select it once.
        string? cacheKey = null;
        if (IsConstantOnly(operands))
        {
            cacheKey = instruction.SelectionKey;
            if (selections.TryGetValue(cacheKey, out var cached))
            {
                fragment.Items.Add(new InstructionItem(src, cached.Code, cached.Operands) { NearCode = cached.NearCode, HasLock = lockPrefix, HasRep = rep, HasRepne = repne, Owner = fragment });
                return;
            }
        }

        var infos = MnemonicTable.Resolve(mnemonic);
        infos.RemoveAll(i => !InstructionSelector.Knows(i.Mnemonic, Bitness));
        if (infos.Count == 0)
        {
            throw new SyntaxException(DiagnosticIds.UnknownMnemonic, $"unknown or unsupported instruction '{mnemonic}'", pos, mnemonic.Length);
        }

        InstructionSelector.SelectionError? first = null;
        foreach (var info in infos)
        {
            if (InstructionSelector.TrySelect(info, operands, Evaluator.Evaluate, out var sel, out var error, Bitness))
            {
                if (cacheKey != null)
                {
                    selections[cacheKey] = sel;
                }

                fragment.Items.Add(new InstructionItem(src, sel.Code, sel.Operands)
                {
                    NearCode = sel.NearCode,
                    HasLock = lockPrefix,
                    HasRep = rep,
                    HasRepne = repne,
                    Owner = fragment,
                });
                return;
            }

            first ??= error;
        }

        var err = first!.Value;
        throw new SyntaxException(err.Id, err.Message, pos, syntax.Text.Length - pos);
    }
}
