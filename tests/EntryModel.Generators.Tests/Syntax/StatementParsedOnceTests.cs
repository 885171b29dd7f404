using EntryModel.Generators.Diagnostics;
using EntryModel.Generators.Encoding;
using EntryModel.Generators.Expansion;
using EntryModel.Generators.Model;
using EntryModel.Generators.Syntax;

namespace EntryModel.Generators.Tests.Syntax;

/// <summary>
/// Each statement is parsed once: running it again unchanged (.rept, a macro line without
/// arguments, another object or strategy) reuses its parse; only text that macro substitution made
/// is parsed again, once per distinct text, as GNU as reads an expansion again.
/// </summary>
[TestFixture]
public sealed class StatementParsedOnceTests
{
    [Test]
    public void A_thousand_fold_rept_of_an_unchanged_body_parses_each_statement_once()
    {
        var parsed = Split(".rept 1000\n movq $1, %rax\n 1: addq %rbx, %rcx\n jmp 1b\n.endr");
        var (expander, diagnostics) = Run(parsed);

        Assert.That(diagnostics, Is.Empty);
        var instructions = expander.Fragments.SelectMany(f => f.Items).OfType<InstructionItem>().Count();
        Assert.That(instructions, Is.EqualTo(3000), "the body ran a thousand times");
        // .rept, the three body statements and .endr: five texts, each parsed once.
        Assert.That(expander.StatementParses, Is.EqualTo(5));
        Assert.That(parsed[0].Statements.Items.Select(s => s.Syntax), Has.All.Not.Null, "each statement keeps its parse");
    }

    [Test]
    public void A_substituted_macro_line_parses_once_per_distinct_text()
    {
        var parsed = Split(".macro load v\n movq $\\v, %rax\n nop\n.endm\nload 1\nload 2\nload 1\nload 1\nload 2");
        var (expander, diagnostics) = Run(parsed);

        Assert.That(diagnostics, Is.Empty);
        var instructions = expander.Fragments.SelectMany(f => f.Items).OfType<InstructionItem>().Count();
        Assert.That(instructions, Is.EqualTo(10), "five calls of two instructions");
        // .macro, its two body lines and .endm (4); the calls "load 1" and "load 2" (2); the
        // substituted "movq $1, %rax" and "movq $2, %rax" (2). "nop" has nothing substituted and
        // runs on its own parse.
        Assert.That(expander.StatementParses, Is.EqualTo(8));
    }

    [Test]
    public void A_line_that_names_the_expansion_counter_is_new_text_at_every_call()
    {
        var parsed = Split(".macro m\n .byte \\@\n nop\n.endm\nm\nm\nm");
        var (expander, diagnostics) = Run(parsed);

        Assert.That(diagnostics, Is.Empty);
        // .macro, two body lines, .endm and the call "m" (5); ".byte 0", ".byte 1", ".byte 2" (3).
        Assert.That(expander.StatementParses, Is.EqualTo(8));
    }

    [Test]
    public void An_irp_parameter_line_parses_once_per_distinct_value()
    {
        var parsed = Split(".irp r, rax, rbx, rax, rax\n pushq %\\r\n.endr");
        var (expander, diagnostics) = Run(parsed);

        Assert.That(diagnostics, Is.Empty);
        Assert.That(expander.Fragments.SelectMany(f => f.Items).OfType<InstructionItem>().Count(), Is.EqualTo(4));
        // .irp, its body line and .endr (3); "pushq %rax" and "pushq %rbx" (2).
        Assert.That(expander.StatementParses, Is.EqualTo(5));
    }

    [Test]
    public void A_copied_statement_with_other_text_starts_unparsed()
    {
        var parsed = Split("movq $1, %rax");
        Run(parsed);
        var copy = parsed[0].Statements[0] with { Text = "movq $2, %rax" };

        Assert.That(copy.Syntax, Is.Null);
    }

    [Test]
    public void Conditional_lines_reuse_their_parse_in_every_iteration()
    {
        var parsed = Split("n = 0\n.rept 100\n.if n & 1\n nop\n.else\n int3\n.endif\nn = n + 1\n.endr");
        var (expander, diagnostics) = Run(parsed);

        Assert.That(diagnostics, Is.Empty);
        var instructions = expander.Fragments.SelectMany(f => f.Items).OfType<InstructionItem>().ToList();
        Assert.That(instructions, Has.Count.EqualTo(100));
        Assert.That(instructions.Count(i => i.Code == Iced.Intel.Code.Nopd), Is.EqualTo(50), "the .if saw n change");
        // n = 0, .rept, .if, nop, .else, int3, .endif, n = n + 1, .endr.
        Assert.That(expander.StatementParses, Is.EqualTo(9));
    }

    [Test]
    public void Another_object_or_strategy_reuses_the_statements_parses()
    {
        var parsed = Split("movq $1, %rax\n.rept 3\n addq %rbx, %rcx\n.endr\nret");
        var (first, _) = Run(parsed);
        var (second, diagnostics) = Run(parsed);

        Assert.That(diagnostics, Is.Empty);
        Assert.That(first.StatementParses, Is.EqualTo(5));
        Assert.That(second.StatementParses, Is.Zero, "the statements kept their parses");
    }

    [Test]
    public void A_statements_parse_takes_no_part_in_its_equality()
    {
        var parsed = Split("movq $1, %rax");
        Run(parsed);
        var statement = parsed[0].Statements[0];
        var fresh = new GasStatement(statement.Offset, statement.Text, statement.Line);

        Assert.That(statement.Syntax, Is.Not.Null);
        Assert.That(fresh.Syntax, Is.Null);
        Assert.That(fresh, Is.EqualTo(statement));
        Assert.That(fresh.GetHashCode(), Is.EqualTo(statement.GetHashCode()));
        Assert.That(new GasStatement(statement.Offset, "movq $2, %rax", statement.Line), Is.Not.EqualTo(statement));
    }

    [Test]
    public void A_problem_in_a_parsed_statement_is_reported_at_the_same_span_every_time_it_runs()
    {
        const string text = ".rept 2\n movq $(1, %rax\n.endr\n movq $(1, %rax";
        var parsed = Split(text);
        var (_, diagnostics) = Run(parsed);

        // The two runs inside .rept are one problem (same span, same words); the statement after it is another.
        Assert.That(diagnostics, Has.Count.EqualTo(2));
        Assert.That(diagnostics.Select(d => d.Id).Distinct().Count(), Is.EqualTo(1));
        Assert.That(diagnostics.Select(d => text.Substring(d.Offset, d.Length)).Distinct().Count(), Is.EqualTo(1), "the same text, at both places");
        Assert.That(diagnostics[0].Offset, Is.LessThan(diagnostics[1].Offset));
    }

    private static ParsedDeclaration[] Split(string text)
    {
        var declaration = new SourceDeclaration(DeclarationKind.Code, "text", 0, 0xffffffff81000000UL, 0, 1, ".text", 0, false, null, 0, false, 0, text, TextLocation.None);
        return new[] { StatementSplitter.Split(declaration) };
    }

    private static (Expander Expander, List<AsmDiagnostic> Diagnostics) Run(ParsedDeclaration[] parsed)
    {
        var diagnostics = new List<AsmDiagnostic>();
        var expander = new Expander(parsed, new StrategySource("s", null, EquatableArray<string>.Empty), diagnostics);
        expander.Run(0, reportsHeader: true);
        return (expander, diagnostics);
    }
}
