using EntryModel.Generators.Diagnostics;
using EntryModel.Generators.Encoding;
using EntryModel.Generators.Model;
using EntryModel.Generators.Syntax;

namespace EntryModel.Generators.Tests.Encoding;

/// <summary>Every assembler diagnostic id, with the exact span of text it points at.</summary>
[TestFixture]
public sealed class AssemblerDiagnosticsTests
{
    [TestCase("frobq %rax", DiagnosticIds.UnknownMnemonic, "frobq")]
    [TestCase("nop\n  movq %rax, %eax", DiagnosticIds.BadOperand, "movq %rax, %eax")]
    [TestCase("incq", DiagnosticIds.BadOperand, "incq")]
    [TestCase("inc (%rax)", DiagnosticIds.BadOperand, "inc (%rax)")]
    [TestCase("call nowhere", DiagnosticIds.UndefinedSymbol, "nowhere")]
    [TestCase("movq $missing+8, %rax", DiagnosticIds.UndefinedSymbol, "missing")]
    [TestCase("jmp 1f", DiagnosticIds.UndefinedSymbol, "1f")]
    [TestCase("a: nop\nb: nop\na: ret", DiagnosticIds.DuplicateSymbol, "a")]
    [TestCase(".macro M x\n.endm\nM 1, 2", DiagnosticIds.MacroArity, "2")]
    [TestCase(".macro M x:req\n.endm\nM", DiagnosticIds.MacroArity, "M")]
    [TestCase(".macro M x\n.endm\nM y=1", DiagnosticIds.UnknownMacroParameter, "y")]
    [TestCase(".macro M x\n  pushq \\zz\n.endm\nM 1", DiagnosticIds.UnknownMacroParameter, "\\zz")]
    [TestCase(".if 1\nnop", DiagnosticIds.UnbalancedConditional, ".if 1")]
    [TestCase("nop\n.endif", DiagnosticIds.UnbalancedConditional, ".endif")]
    [TestCase(".ifdef X\n.else\n.else\n.endif", DiagnosticIds.UnbalancedConditional, ".else")]
    [TestCase("movq $(1+), %rax", DiagnosticIds.SyntaxError, ")")]
    [TestCase("movq $0x, %rax", DiagnosticIds.SyntaxError, "0x")]
    [TestCase(".frob 1", DiagnosticIds.UnknownDirective, ".frob")]
    [TestCase(".byte 300", DiagnosticIds.ValueOutOfRange, "300")]
    [TestCase(".macro R\nR\n.endm\nR", DiagnosticIds.MacroRecursion, "R")]
    [TestCase(".macro X\nnop", DiagnosticIds.UnbalancedMacro, ".macro")]
    [TestCase("nop\n.endm", DiagnosticIds.UnbalancedMacro, ".endm")]
    [TestCase("movq %rzz, %rax", DiagnosticIds.UnknownRegister, "%rzz")]
    [TestCase("nop\nnop\n.org 1", DiagnosticIds.LayoutError, ".org 1")]
    [TestCase(".error \"not in this strategy\"", DiagnosticIds.AssemblerError, ".error \"not in this strategy\"")]
    [TestCase(".set x", DiagnosticIds.SyntaxError, " x")]
    [TestCase("f: nop\n.size  g, .-f", DiagnosticIds.UndefinedSymbol, "g")]
    [TestCase(".ascii abc", DiagnosticIds.SyntaxError, "abc")]
    [TestCase("99999999999: nop", DiagnosticIds.SyntaxError, "99999999999")]
    [TestCase("a: 99999999999 : nop", DiagnosticIds.SyntaxError, "99999999999 ")]
    public void Reports_id_at_span(string text, string id, string spanText)
    {
        var result = EntryModel.Generators.Encoding.GasAssembler.AssembleText(text);
        var d = result.Diagnostics.FirstOrDefault(x => x.Id == id);
        Assert.That(d, Is.Not.Null, $"expected {id}; got: {string.Join("; ", result.Diagnostics.Select(x => x.Id + " " + x.Message))}");
        Assert.That(d!.Offset, Is.InRange(0, text.Length));
        Assert.That(d.Offset + d.Length, Is.LessThanOrEqualTo(text.Length));
        if (spanText.Length > 0)
        {
            Assert.That(text.Substring(d.Offset, d.Length), Is.EqualTo(spanText), d.Message);
        }
    }

    // Statements parsed once and run again (.rept, macro lines) report where and what they did when
    // each run parsed its text again; a substituted line is reported at the line, naming its text.
    [TestCase(".rept 2\n  movq $(1, %rax\n.endr", DiagnosticIds.BadOperand, 10, 14, "no form of 'mov' (64-bit) takes operands ()")]
    [TestCase(".macro M v\n  movq $\\v, %rax\n.endm\nM (1", DiagnosticIds.BadOperand, 13, 14, "no form of 'mov' (64-bit) takes operands () (in M at text:4) [in 'movq $(1, %rax']")]
    [TestCase(".rept 2\n  movq $(1+), %rax\n.endr", DiagnosticIds.SyntaxError, 19, 1, "unexpected ')' in expression")]
    [TestCase(".if 1 +\n.endif", DiagnosticIds.SyntaxError, 4, 0, "expression expected")]
    [TestCase(".byte", DiagnosticIds.SyntaxError, 5, 0, "argument expected")]
    [TestCase(".macro M v\n  .byte \\v+\n.endm\nM 1", DiagnosticIds.SyntaxError, 13, 9, "expression expected (in M at text:4) [in '.byte 1+']")]
    public void Reports_id_at_offset_with_message(string text, string id, int offset, int length, string message)
    {
        var result = EntryModel.Generators.Encoding.GasAssembler.AssembleText(text);
        var d = result.Diagnostics.Single(x => x.Id == id);
        Assert.That((d.Offset, d.Length, d.Message), Is.EqualTo((offset, length, message)));
    }

    [Test]
    public void Error_message_of_error_directive_is_the_users()
    {
        var result = EntryModel.Generators.Encoding.GasAssembler.AssembleText(".error \"boom\"");
        Assert.That(result.Diagnostics.Single().Message, Is.EqualTo("boom"));
    }

    [Test]
    public void Code_longer_than_its_fixed_size_is_reported_at_the_first_statement_past_it()
    {
        var result = Assemble(
            Code("f", 0xffffffff81000000, 4, "nop\nnop\nnop\nmovq %rax, %rbx\nret"));
        var d = result.Diagnostics.Single(x => x.Id == DiagnosticIds.SizeOverflow);
        Assert.That(Text(result, d), Is.EqualTo("movq %rax, %rbx"));
    }

    [Test]
    public void Overlapping_fixed_addresses_are_reported_on_the_later_declaration()
    {
        var result = Assemble(
            Code("first", 0xffffffff81000000, 0x10, "ret"),
            Code("second", 0xffffffff81000008, 0, "nop\nret"));
        var d = result.Diagnostics.Single(x => x.Id == DiagnosticIds.OverlappingAddresses);
        Assert.Multiple(() =>
        {
            Assert.That(d.DeclarationIndex, Is.EqualTo(1));
            Assert.That(d.Message, Does.Contain("first").And.Contain("second"));
        });
    }

    [Test]
    public void A_vector_declared_twice_is_a_bad_declaration()
    {
        var result = Assemble(
            Idt("a", 14, "iretq"),
            Idt("b", 14, "iretq"));
        Assert.That(result.Diagnostics.Select(x => x.Id), Does.Contain(DiagnosticIds.BadDeclaration));
    }

    [Test]
    public void Errors_inside_a_macro_body_point_into_the_macro_and_name_the_invocation()
    {
        var macros = new SourceDeclaration(DeclarationKind.Macros, "M", 0, 0, 0, 1, ".text", 0, false, null, 0, false, 0, ".macro BAD\n  frob %rax\n.endm", TextLocation.None);
        var result = Assemble(macros, Code("f", 0, 0, "nop\nBAD"));
        var d = result.Diagnostics.Single(x => x.Id == DiagnosticIds.UnknownMnemonic);
        Assert.Multiple(() =>
        {
            Assert.That(d.DeclarationIndex, Is.EqualTo(0));
            Assert.That(Text(result, d, macros.Text), Is.EqualTo("frob"));
            Assert.That(d.Message, Does.Contain("BAD at f:2"));
        });
    }

    [Test]
    public void One_run_reports_every_problem()
    {
        var result = EntryModel.Generators.Encoding.GasAssembler.AssembleText("frob\nmovq %rzz, %rax\n.frob\ncall nowhere");
        Assert.That(result.Diagnostics.Select(d => d.Id), Is.EquivalentTo(new[] { DiagnosticIds.UnknownMnemonic, DiagnosticIds.UnknownRegister, DiagnosticIds.UnknownDirective, DiagnosticIds.UndefinedSymbol }));
    }

    private static SourceDeclaration Code(string name, ulong address, int size, string text) =>
        new(DeclarationKind.Code, name, 0, address, size, 16, ".text", 0, false, null, 0, false, 0, text, TextLocation.None);

    private static SourceDeclaration Idt(string name, int vector, string text) =>
        new(DeclarationKind.IdtEntry, name, 1, 0, 0, 16, ".entry.text", vector, false, null, 0, false, 0, text, TextLocation.None);

    private static AssemblyResult Assemble(params SourceDeclaration[] declarations)
    {
        var model = new ModelSource("N", "C", "f.cs", EquatableArray<StrategySource>.Empty, EquatableArray<SectionSource>.Empty, new EquatableArray<SourceDeclaration>(declarations));
        var parsed = new EquatableArray<ParsedDeclaration>(declarations.Select(StatementSplitter.Split));
        return EntryModel.Generators.Encoding.GasAssembler.Assemble(model, parsed, new StrategySource("s", null, EquatableArray<string>.Empty));
    }

    private static string Text(AssemblyResult result, AsmDiagnostic d, string? text = null)
    {
        text ??= "nop\nnop\nnop\nmovq %rax, %rbx\nret";
        return text.Substring(d.Offset, d.Length);
    }
}
