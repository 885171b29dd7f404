using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using EntryModel.Generators.Diagnostics;
using EntryModel.Generators.Encoding;
using EntryModel.Generators.Model;
using EntryModel.Generators.Public;
using EntryModel.Generators.Syntax;
using Iced.Intel;

namespace EntryModel.Generators.Expansion;

/// <summary>
/// Runs the statements of every declaration under one strategy: conditionals, macro definitions and
/// expansions, <c>.rept</c>/<c>.irp</c>, labels, directives and instructions, producing fragments of
/// items and the symbol table. Every problem becomes a diagnostic; processing goes on with the next
/// statement so one run reports everything.
/// </summary>
internal sealed partial class Expander
{
    private const int MaxMacroDepth = 100;
    private const int MaxRepeat = 100000;

    private readonly IReadOnlyList<ParsedDeclaration> parsed;
    private readonly List<AsmDiagnostic> diagnostics;
    private readonly Dictionary<string, MacroDefinition> macros = new Dictionary<string, MacroDefinition>(StringComparer.OrdinalIgnoreCase);
    private readonly List<ConditionalFrame> conditions = new List<ConditionalFrame>();
    private readonly Dictionary<int, int> localLabelCounts = new Dictionary<int, int>();

    // Each statement text is parsed once; every run of it (.rept, macro bodies) reuses the parse.
    private readonly StatementParser parser = new StatementParser();

    // Counts .set assignments of expressions, each kept under its own key (see BindSymbol).
    private int assignments;
    private readonly Stack<Fragment> sectionStack = new Stack<Fragment>();
    private readonly Dictionary<string, Fragment> declarationSections = new Dictionary<string, Fragment>(StringComparer.Ordinal);

    private int declaration;
    private Fragment? main;
    private Fragment? current;
    private Fragment? previous;
    private int macroCounter;
    private int hiddenCounter;
    private bool exitMacro;

    // The top-level statement running now: a runaway expansion is reported where it started.
    private SourceRef? outermost;

    // Whether problems are recorded now. Every object runs the shared header (macro declarations,
    // configuration symbols) before its own text; only the object that reports the header records
    // what the header gets wrong, so each header problem reaches the user from one object.
    private bool recording = true;

    // Problems already recorded: a statement that .rept or a macro runs again fails again at the
    // same span with the same words, and is reported once, as one problem.
    private readonly HashSet<AsmDiagnostic> recorded = new HashSet<AsmDiagnostic>();

    // Configuration symbols that did not evaluate, held until Run knows whether this object reports the header.
    private readonly List<AsmDiagnostic> configurationProblems = new List<AsmDiagnostic>();

    public Expander(IReadOnlyList<ParsedDeclaration> parsed, StrategySource strategy, List<AsmDiagnostic> diagnostics, ExpansionLimits? limits = null)
    {
        this.parsed = parsed;
        this.diagnostics = diagnostics;
        Budget = new ExpansionBudget(limits ?? ExpansionLimits.Default);
        Evaluator = new ExpressionEvaluator(Symbols) { Preemptible = Globals };
        foreach (var define in strategy.Defines)
        {
            DefineConfiguration(define);
        }
    }

    public Dictionary<string, AsmSymbol> Symbols { get; } = new Dictionary<string, AsmSymbol>(StringComparer.Ordinal);

    /// <summary>
    /// Symbols made global or weak. GNU as leaves a call or a RIP-relative reference to one of them
    /// to the linker (a relocation) even within its own section, since ELF lets another object
    /// preempt it; only relaxable jumps are resolved in place.
    /// </summary>
    public HashSet<string> Globals { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>The <see cref="Globals"/> that <c>.weak</c> named.</summary>
    public HashSet<string> Weak { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>The flags string <c>.section</c>/<c>.pushsection</c> first gave each section (<c>"ax"</c>, <c>"aw"</c>, ...).</summary>
    public Dictionary<string, string> SectionFlags { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The ELF type (<c>progbits</c>, <c>nobits</c>, <c>note</c>, ...) and entry size that first <c>.section</c> gave, when it gave them.</summary>
    public Dictionary<string, (string? Type, long EntrySize)> SectionTypes { get; } = new Dictionary<string, (string? Type, long EntrySize)>(StringComparer.Ordinal);

    public List<Fragment> Fragments { get; } = new List<Fragment>();

    /// <summary>What the declaration is assembled for (as <c>--64</c> or <c>--32</c>): the code size and the object's kind.</summary>
    public ObjectFileMachine Machine { get; private set; }

    /// <summary>The <c>.cfi_*</c> frames the declaration described, in order (see <see cref="CallFrames"/>).</summary>
    public CallFrames CallFrames { get; } = new CallFrames();

    public ExpressionEvaluator Evaluator { get; }

    /// <summary>What this declaration has spent of its statement and byte budgets.</summary>
    public ExpansionBudget Budget { get; }

    /// <summary>How many statement texts this run parsed (a statement run again, unchanged, is not parsed again).</summary>
    public int StatementParses => parser.Parses;

    /// <summary>
    /// Processes the macro declarations (they only define), then code declaration
    /// <paramref name="declaration"/>: one relocatable object's worth. The splitter's findings are
    /// not this stage's and are not repeated here; the header's (the macro declarations' and the
    /// configuration's) are recorded only when <paramref name="reportsHeader"/>.
    /// </summary>
    public void Run(int declaration, bool reportsHeader)
    {
        recording = reportsHeader;
        Machine = declaration >= 0 && declaration < parsed.Count ? parsed[declaration].Source.Machine : ObjectFileMachine.Amd64;
        foreach (var problem in configurationProblems)
        {
            Record(problem);
        }

        for (int pass = 0; pass < 2; pass++)
        {
            for (int d = 0; d < parsed.Count; d++)
            {
                var source = parsed[d].Source;
                bool isMacros = source.Kind == DeclarationKind.Macros;
                if (isMacros != (pass == 0) || (!isMacros && d != declaration))
                {
                    continue;
                }

                recording = reportsHeader || !isMacros;
                RunDeclaration(d);
            }
        }

        recording = true;
    }

    /// <summary>Records a problem of this object, once, unless it is the header's and another object reports those.</summary>
    private void Record(AsmDiagnostic problem)
    {
        if (recording && recorded.Add(problem))
        {
            diagnostics.Add(problem);
        }
    }

    private void DefineConfiguration(string define)
    {
        int eq = define.IndexOf('=');
        string name = (eq >= 0 ? define.Substring(0, eq) : define).Trim();
        long value = 1;
        if (eq >= 0)
        {
            string text = define.Substring(eq + 1).Trim();
            try
            {
                value = Evaluator.EvaluateAbsolute(ExpressionParser.ParseAll(text, 0, text.Length), "a configuration value");
            }
            catch (SyntaxException ex)
            {
                configurationProblems.Add(new AsmDiagnostic(DiagnosticIds.BadDeclaration, $"configuration symbol '{define}': {ex.Message}", -1, 0, 0));
                return;
            }
        }

        Symbols[name] = new AsmSymbol(name, AsmSymbolKind.Absolute, null) { Value = value };
    }

    private void RunDeclaration(int d)
    {
        declaration = d;
        conditions.Clear();
        localLabelCounts.Clear();
        sectionStack.Clear();
        declarationSections.Clear();
        var source = parsed[d].Source;
        main = null;
        current = null;
        previous = null;

        var statements = new List<(GasStatement, SourceRef)>();
        foreach (var s in parsed[d].Statements)
        {
            statements.Add((s, new SourceRef(d, s.Offset, s.Text, s.Line, string.Empty, true)));
        }

        if (source.Kind != DeclarationKind.Macros)
        {
            main = new Fragment(d, source.Section, isMain: true)
            {
                FixedAddress = source.Address != 0 ? source.Address : (ulong?)null,
                FixedSize = source.Size,
                Align = source.Align > 0 ? source.Align : 1,
            };
            Fragments.Add(main);
            declarationSections[source.Section] = main;
            current = main;
            // A declaration named after its code defines that name at its start; a whole file
            // ([GasFile], or no name of its own) defines only what its text defines, as an object from as.
            if (source.Name.Length > 0 && source.GasFile is null)
            {
                var start = new SourceRef(d, 0, source.Text, 0, string.Empty, false);
                DefineLabel(source.Name, start, visible: true, typeKind: source.SymbolKind, atOffset: 0);
            }
        }

        if (source.Kind == DeclarationKind.IdtEntry)
        {
            statements = SubstituteEntryParameters(statements, source);
        }

        Process(statements, 0);

        foreach (var open in conditions)
        {
            Report(open.Opened, new SyntaxException(DiagnosticIds.UnbalancedConditional, "this .if has no .endif", -1, 0));
        }

        if (CallFrames.Open is { } unclosed)
        {
            CallFrames.Open = null;
            Report(unclosed.Start.Source, new SyntaxException(DiagnosticIds.SyntaxError, "open CFI at the end of the text: missing .cfi_endproc", -1, 0));
        }

        // A forward reference past the last definition of a local label is reported where it is evaluated.
    }

    /// <summary>IDT entry bodies may use \vector, \handler, \error_code, \ist and \name.</summary>
    private List<(GasStatement, SourceRef)> SubstituteEntryParameters(List<(GasStatement, SourceRef)> statements, SourceDeclaration source)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["name"] = source.Name,
            ["vector"] = source.Vector.ToString(CultureInfo.InvariantCulture),
            ["handler"] = source.Handler ?? string.Empty,
            ["error_code"] = source.ErrorCode ? "1" : "0",
            ["ist"] = source.Ist.ToString(CultureInfo.InvariantCulture),
        };
        var result = new List<(GasStatement, SourceRef)>(statements.Count);
        foreach (var (s, src) in statements)
        {
            string text;
            try
            {
                text = MacroArguments.Substitute(s.Text, values, 0, source.Name);
            }
            catch (SyntaxException ex)
            {
                Report(src, ex);
                continue;
            }

            // An unchanged statement keeps its parse; a substituted one is new text.
            bool exact = ReferenceEquals(text, s.Text);
            result.Add(exact ? (s, src) : (new GasStatement(s.Offset, text, s.Line), new SourceRef(src.Declaration, src.Offset, s.Text, src.Line, src.MacroStack, false, src.SpanLength)));
        }

        return result;
    }

    private bool Active => conditions.Count == 0 || conditions[conditions.Count - 1].Active;

    private void Process(List<(GasStatement Statement, SourceRef Source)> statements, int depth)
    {
        // Charged before any of them runs: a runaway expansion stops here, not after piling up work.
        int affordable = Budget.Expand(statements.Count);
        if (Budget.Exhausted)
        {
            ReportBudget(Budget.StatementsSpent(), depth == 0 && affordable < statements.Count ? statements[affordable].Source : outermost);
        }

        for (int i = 0; i < statements.Count; i++)
        {
            if (exitMacro || Budget.Exhausted)
            {
                return;
            }

            var (stmt, src) = statements[i];
            if (depth == 0)
            {
                outermost = src;
            }

            var syntax = parser.Parse(stmt);
            string lower = syntax.Head.Keyword;
            int wordEnd = syntax.Head.End;

            try
            {
                if (HandleConditional(lower, syntax, src))
                {
                    continue;
                }

                if (!Active)
                {
                    continue;
                }

                if (lower == ".macro")
                {
                    i = CollectMacro(statements, i, syntax, src);
                    continue;
                }

                if (lower == ".rept" || lower == ".irp" || lower == ".irpc")
                {
                    i = CollectRepeat(statements, i, lower, syntax, src, depth);
                    continue;
                }

                if (lower == ".endm" || lower == ".endr")
                {
                    throw new SyntaxException(DiagnosticIds.UnbalancedMacro, $"{lower} without a matching {(lower == ".endm" ? ".macro" : ".rept/.irp")}", 0, lower.Length);
                }

                if (lower == ".exitm")
                {
                    if (depth == 0)
                    {
                        throw new SyntaxException(DiagnosticIds.UnbalancedMacro, ".exitm outside a macro", 0, lower.Length);
                    }

                    exitMacro = true;
                    return;
                }

                ProcessStatement(syntax, src, depth);
                if (Budget.Emit(current) is { } over)
                {
                    ReportBudget(Budget.BytesSpent(), over.Source.Exact ? over.Source : outermost);
                }
            }
            catch (SyntaxException ex)
            {
                Report(src, ex);
                if (ex.Id == DiagnosticIds.MacroRecursion)
                {
                    // A macro that calls itself more than once would hit the depth limit on every
                    // path of its call tree: one report, then stop expanding.
                    Budget.Abandon();
                }
            }
        }
    }

    private void ReportBudget(SyntaxException spent, SourceRef? at)
    {
        if (Budget.Reported)
        {
            return;
        }

        Budget.Reported = true;
        if (at != null)
        {
            Report(at, spent);
        }
        else
        {
            Record(new AsmDiagnostic(spent.Id, spent.Message, declaration, 0, 0));
        }
    }

    /// <summary>Handles .if/.ifdef/.else/.endif and their #-spellings; true when the statement was one.</summary>
    private bool HandleConditional(string word, StatementSyntax syntax, SourceRef src)
    {
        if (word.Length < 3 || (word[0] != '.' && word[0] != '#') || (word[1] != 'i' && word[1] != 'e'))
        {
            return false;
        }

        int wordEnd = syntax.Head.End;
        switch (word)
        {
            case ".if":
            case ".ifne":
            case "#if":
                Open(src, () => EvaluateCondition(syntax) != 0);
                return true;
            case ".ifeq":
                Open(src, () => EvaluateCondition(syntax) == 0);
                return true;
            case ".ifge":
                Open(src, () => EvaluateCondition(syntax) >= 0);
                return true;
            case ".ifgt":
                Open(src, () => EvaluateCondition(syntax) > 0);
                return true;
            case ".ifle":
                Open(src, () => EvaluateCondition(syntax) <= 0);
                return true;
            case ".iflt":
                Open(src, () => EvaluateCondition(syntax) < 0);
                return true;
            case ".ifdef":
            case "#ifdef":
                Open(src, () => IsDefined(syntax.Rest, wordEnd));
                return true;
            case ".ifndef":
            case ".ifnotdef":
            case "#ifndef":
                Open(src, () => !IsDefined(syntax.Rest, wordEnd));
                return true;
            case ".ifb":
                Open(src, () => syntax.Rest.Length == 0);
                return true;
            case ".ifnb":
                Open(src, () => syntax.Rest.Length != 0);
                return true;
            case ".ifc":
            case ".ifnc":
                {
                    var parts = SplitTwo(syntax.Rest);
                    bool same = string.Equals(parts.Item1, parts.Item2, StringComparison.Ordinal);
                    Open(src, () => word == ".ifc" ? same : !same);
                    return true;
                }

            case ".elseif":
            case "#elif":
                {
                    var top = Top(src, word);
                    if (top.SeenElse)
                    {
                        throw new SyntaxException(DiagnosticIds.UnbalancedConditional, $"{word} after .else", 0, word.Length);
                    }

                    bool take = top.ParentActive && !top.Taken && EvaluateCondition(syntax) != 0;
                    top.Active = take;
                    top.Taken |= take;
                    return true;
                }

            case ".else":
            case "#else":
                {
                    var top = Top(src, word);
                    if (top.SeenElse)
                    {
                        throw new SyntaxException(DiagnosticIds.UnbalancedConditional, "a second .else in the same .if", 0, word.Length);
                    }

                    top.SeenElse = true;
                    top.Active = top.ParentActive && !top.Taken;
                    top.Taken = true;
                    return true;
                }

            case ".endif":
            case "#endif":
                Top(src, word);
                conditions.RemoveAt(conditions.Count - 1);
                return true;
            default:
                return false;
        }
    }

    private ConditionalFrame Top(SourceRef src, string word)
    {
        if (conditions.Count == 0)
        {
            throw new SyntaxException(DiagnosticIds.UnbalancedConditional, $"{word} without a matching .if", 0, word.Length);
        }

        return conditions[conditions.Count - 1];
    }

    private void Open(SourceRef src, Func<bool> condition)
    {
        bool parent = Active;
        bool value = false;
        if (parent)
        {
            try
            {
                value = condition();
            }
            catch (SyntaxException ex)
            {
                Report(src, ex);
            }
        }

        conditions.Add(new ConditionalFrame(parent, parent && value, src));
    }

    private bool IsDefined(string name, int wordEnd)
    {
        if (name.Length == 0)
        {
            throw new SyntaxException(DiagnosticIds.SyntaxError, "symbol name expected", wordEnd, 0);
        }

        return Symbols.ContainsKey(name) || macros.ContainsKey(name);
    }

    /// <summary>Evaluates a condition; undefined symbols count as 0 (as the C preprocessor does), and defined(X) works.</summary>
    private long EvaluateCondition(StatementSyntax syntax)
    {
        if (syntax.Condition is { } parsedOnce)
        {
            return EvaluateWithUndefinedAsZero(parsedOnce.Value);
        }

        // defined(X) is rewritten with what is defined now, so this text is new each time.
        string expr = ReplaceDefined(syntax.Text.Substring(syntax.Head.End));
        return EvaluateWithUndefinedAsZero(ExpressionParser.ParseAll(expr, 0, expr.Length));
    }

    private long EvaluateWithUndefinedAsZero(Expression e)
    {
        switch (e)
        {
            case SymbolExpression s when !Symbols.ContainsKey(s.Name):
                return 0;
            case UnaryExpression u:
                {
                    long v = EvaluateWithUndefinedAsZero(u.Operand);
                    return u.Operator switch { '-' => -v, '~' => ~v, '!' => v == 0 ? 1 : 0, _ => v };
                }

            case BinaryExpression b when b.Left is RegisterExpression || b.Right is RegisterExpression:
                return Evaluator.EvaluateAbsolute(b, "a condition");
            case BinaryExpression b:
                {
                    var l = new NumberExpression(EvaluateWithUndefinedAsZero(b.Left), b.Left.Offset, b.Left.Length);
                    var r = new NumberExpression(EvaluateWithUndefinedAsZero(b.Right), b.Right.Offset, b.Right.Length);
                    return Evaluator.EvaluateAbsolute(new BinaryExpression(b.Operator, l, r, b.Offset, b.Length), "a condition");
                }

            default:
                return Evaluator.EvaluateAbsolute(e, "a condition");
        }
    }

    private string ReplaceDefined(string expr)
    {
        var sb = new StringBuilder();
        int i = 0;
        while (i < expr.Length)
        {
            if (string.CompareOrdinal(expr, i, "defined", 0, 7) == 0 && (i == 0 || !ExpressionParser.IsSymbolChar(expr[i - 1])))
            {
                int j = i + 7;
                while (j < expr.Length && expr[j] == ' ')
                {
                    j++;
                }

                bool paren = j < expr.Length && expr[j] == '(';
                if (paren)
                {
                    j++;
                }

                while (j < expr.Length && expr[j] == ' ')
                {
                    j++;
                }

                int s = j;
                while (j < expr.Length && ExpressionParser.IsSymbolChar(expr[j]))
                {
                    j++;
                }

                string name = expr.Substring(s, j - s);
                while (paren && j < expr.Length && expr[j] == ' ')
                {
                    j++;
                }

                if (paren && j < expr.Length && expr[j] == ')')
                {
                    j++;
                }

                // Keep the text's length so offsets still point at the right place.
                string value = Symbols.ContainsKey(name) ? "1" : "0";
                sb.Append(value.PadRight(j - i));
                i = j;
                continue;
            }

            sb.Append(expr[i]);
            i++;
        }

        return sb.ToString();
    }

    private static Tuple<string, string> SplitTwo(string rest)
    {
        int comma = rest.IndexOf(',');
        if (comma < 0)
        {
            return Tuple.Create(rest.Trim(), string.Empty);
        }

        return Tuple.Create(rest.Substring(0, comma).Trim(), rest.Substring(comma + 1).Trim());
    }

    /// <summary>Collects a .macro ... .endm block and defines it; returns the index of the .endm.</summary>
    private int CollectMacro(List<(GasStatement Statement, SourceRef Source)> statements, int i, StatementSyntax syntax, SourceRef src)
    {
        int wordEnd = syntax.Head.End;
        var header = syntax.MacroArguments(wordEnd);
        int end = FindBlockEnd(statements, i, ".macro", ".endm");
        if (end < 0)
        {
            Report(src, new SyntaxException(DiagnosticIds.UnbalancedMacro, ".macro without .endm", 0, wordEnd));
            return statements.Count - 1;
        }

        if (header.Count == 0)
        {
            Report(src, new SyntaxException(DiagnosticIds.SyntaxError, "macro name expected", wordEnd, 0));
            return end;
        }

        string name = header[0].Text;
        var parameters = new List<MacroParameter>();
        for (int k = 1; k < header.Count; k++)
        {
            string p = header[k].Text;
            string? def = null;
            bool req = false, vararg = false;
            int eq = p.IndexOf('=');
            if (eq >= 0)
            {
                def = p.Substring(eq + 1);
                p = p.Substring(0, eq);
            }

            if (p.EndsWith(":req", StringComparison.Ordinal))
            {
                req = true;
                p = p.Substring(0, p.Length - 4);
            }
            else if (p.EndsWith(":vararg", StringComparison.Ordinal))
            {
                vararg = true;
                p = p.Substring(0, p.Length - 7);
            }

            parameters.Add(new MacroParameter(p.Trim(), def, req, vararg));
        }

        var body = new List<(GasStatement, SourceRef)>();
        for (int k = i + 1; k < end; k++)
        {
            body.Add(statements[k]);
        }

        macros[name] = new MacroDefinition(name, parameters, body, src);
        return end;
    }

    private int FindBlockEnd(List<(GasStatement Statement, SourceRef Source)> statements, int i, string open, string close)
    {
        int nest = 0;
        for (int k = i + 1; k < statements.Count; k++)
        {
            string w = parser.Parse(statements[k].Statement).Head.Keyword;
            bool isOpen = open == ".macro" ? w == ".macro" : (w == ".rept" || w == ".irp" || w == ".irpc");
            if (isOpen)
            {
                nest++;
            }
            else if (w == close)
            {
                if (nest == 0)
                {
                    return k;
                }

                nest--;
            }
        }

        return -1;
    }

    private int CollectRepeat(List<(GasStatement Statement, SourceRef Source)> statements, int i, string word, StatementSyntax syntax, SourceRef src, int depth)
    {
        string text = syntax.Text;
        int wordEnd = syntax.Head.End;
        int end = FindBlockEnd(statements, i, ".rept", ".endr");
        if (end < 0)
        {
            Report(src, new SyntaxException(DiagnosticIds.UnbalancedMacro, $"{word} without .endr", 0, wordEnd));
            return statements.Count - 1;
        }

        var body = new List<(GasStatement Statement, SourceRef Source)>();
        for (int k = i + 1; k < end; k++)
        {
            body.Add(statements[k]);
        }

        if (depth >= MaxMacroDepth)
        {
            Report(src, new SyntaxException(DiagnosticIds.MacroRecursion, "macros and repeats nest too deeply", 0, wordEnd));
            return end;
        }

        if (word == ".rept")
        {
            string countText = text.Substring(wordEnd);
            long count = Evaluator.EvaluateAbsolute(syntax.Expression(wordEnd, text.Length), ".rept count");
            if (count < 0 || count > MaxRepeat)
            {
                throw new SyntaxException(DiagnosticIds.ValueOutOfRange, $".rept count {count} is out of range (0..{MaxRepeat})", wordEnd, countText.Length);
            }

            for (long r = 0; r < count && !Budget.Exhausted; r++)
            {
                Process(body, depth + 1);
            }

            return end;
        }

        var args = syntax.MacroArguments(wordEnd);
        if (args.Count == 0)
        {
            throw new SyntaxException(DiagnosticIds.SyntaxError, $"{word} needs a symbol", wordEnd, 0);
        }

        string param = args[0].Text;
        var values = new List<string>();
        if (word == ".irp")
        {
            for (int k = 1; k < args.Count; k++)
            {
                values.Add(args[k].Text);
            }
        }
        else if (args.Count > 1)
        {
            foreach (char c in args[1].Text)
            {
                values.Add(c.ToString());
            }
        }

        var inner = MacroArguments.InnerParameters(body.Select(b => b.Statement));
        foreach (var v in values)
        {
            if (Budget.Exhausted)
            {
                break;
            }

            var map = new Dictionary<string, string>(StringComparer.Ordinal) { [param] = MacroArguments.Unquote(v) };
            var expanded = new List<(GasStatement, SourceRef)>();
            foreach (var (s, bsrc) in body)
            {
                string t = MacroArguments.Substitute(s.Text, map, macroCounter, word, inner);
                AddSubstituted(expanded, s, t, ReferenceEquals(t, s.Text) ? bsrc : new SourceRef(bsrc.Declaration, bsrc.Offset, s.Text, bsrc.Line, bsrc.MacroStack, false, bsrc.SpanLength));
            }

            Process(expanded, depth + 1);
        }

        return end;
    }

    private void Report(SourceRef src, SyntaxException ex)
    {
        int offset = src.Offset;
        int length = src.SpanLength;
        if (src.Exact && ex.Offset >= 0)
        {
            offset = src.Offset + ex.Offset;
            length = ex.Length;
        }

        string message = ex.Message;
        if (src.MacroStack.Length > 0)
        {
            message += $" (in {src.MacroStack})";
        }

        if (!src.Exact && src.Text.Length > 0 && ex.Offset >= 0)
        {
            message += $" [in '{src.Text}']";
        }

        Record(new AsmDiagnostic(ex.Id, message, src.Declaration, offset, length));
    }

    internal void ReportAt(SourceRef src, SyntaxException ex) => Report(src, ex);
}
