using EntryModel.Generators.Diagnostics;
using EntryModel.Generators.Encoding;
using EntryModel.Generators.Public;

namespace EntryModel.Generators.Tests.Encoding;

/// <summary>
/// A file assembled for i386 (as --32): what 32-bit code cannot hold is a diagnostic at its text,
/// never bytes; what it can is an ELF32 object's, with REL addends in the section bytes.
/// </summary>
[TestFixture]
public sealed class I386ObjectTests
{
    [TestCase("pushq %rax", DiagnosticIds.BadOperand, "pushq %rax")]
    [TestCase("movl %r8d, %eax", DiagnosticIds.BadOperand, "movl %r8d, %eax")]
    [TestCase("movl 8(%rip), %eax", DiagnosticIds.BadOperand, "movl 8(%rip), %eax")]
    [TestCase("movb %sil, %al", DiagnosticIds.BadOperand, "movb %sil, %al")]
    [TestCase("jmp *%rax", DiagnosticIds.BadOperand, "jmp *%rax")]
    [TestCase("movsq", DiagnosticIds.UnknownMnemonic, "movsq")]
    [TestCase(".quad ext", DiagnosticIds.AssemblerError, "ext")]
    [TestCase(".code64\nnop", DiagnosticIds.UnknownDirective, ".code64")]
    [TestCase(".code16", DiagnosticIds.UnknownDirective, ".code16")]
    [TestCase(".cfi_startproc\nret\n.cfi_endproc", DiagnosticIds.UnknownDirective, ".cfi_startproc")]
    [TestCase(".cfi_sections .eh_frame, .debug_info", DiagnosticIds.UnknownDirective, ".debug_info")]
    [TestCase(".cfi_sections .debug_frame\n.cfi_startproc\n.cfi_escape 0x0f\n.cfi_endproc", DiagnosticIds.UnknownDirective, ".cfi_escape")]
    [TestCase(".cfi_sections .debug_frame\n.cfi_startproc\n.cfi_offset %r8, -8\n.cfi_endproc", DiagnosticIds.UnknownRegister, "%r8")]
    [TestCase(".cfi_sections .debug_frame\n.cfi_def_cfa_offset 8", DiagnosticIds.SyntaxError, ".cfi_def_cfa_offset")]
    [TestCase(".cfi_sections .debug_frame\n.cfi_startproc\nret", DiagnosticIds.SyntaxError, ".cfi_startproc")]
    [TestCase(".cfi_sections .debug_frame\n.cfi_startproc\n.cfi_startproc\n.cfi_endproc", DiagnosticIds.SyntaxError, ".cfi_startproc")]
    [TestCase(".cfi_sections .debug_frame\n.cfi_startproc\n.pushsection .other\n.cfi_undefined eip\n.popsection\n.cfi_endproc", DiagnosticIds.UnknownDirective, ".cfi_undefined")]
    [TestCase("addl $_GLOBAL_OFFSET_TABLE_, %ebx", DiagnosticIds.BadOperand, "_GLOBAL_OFFSET_TABLE_")]
    [TestCase("movl sym@GOTOFF(%ebx), %eax", DiagnosticIds.BadOperand, "sym@GOTOFF")]
    [TestCase("call foo@PLT", DiagnosticIds.BadOperand, "foo@PLT")]
    [TestCase(".long 1, x@GOT", DiagnosticIds.BadOperand, "x@GOT")]
    [TestCase(".set y, x@TPOFF\n.long y", DiagnosticIds.BadOperand, "x@TPOFF")]
    [TestCase("movl x@foo, %eax", DiagnosticIds.SyntaxError, "x@foo")]
    [TestCase(".byte ext+300", DiagnosticIds.ValueOutOfRange, "ext")]
    [TestCase(".word 1, ext+70000", DiagnosticIds.ValueOutOfRange, "ext")]
    [TestCase(".uleb128 ext", DiagnosticIds.UndefinedSymbol, "ext")]
    [TestCase(".sleb128 1, ext+1", DiagnosticIds.UndefinedSymbol, "ext")]
    [TestCase(".cfi_sections .debug_frame\n.cfi_startproc\nret\n.cfi_endproc\n.cfi_sections .debug_frame, .eh_frame", DiagnosticIds.SyntaxError, ".eh_frame")]
    public void Reports_what_32_bit_code_cannot_hold_at_its_text(string text, string id, string spanText)
    {
        var assembly = GasAssembler.AssembleFile(text, machine: ObjectFileMachine.I386);
        var d = assembly.Diagnostics.FirstOrDefault(x => x.Id == id);
        Assert.That(d, Is.Not.Null, $"expected {id}; got: {string.Join("; ", assembly.Diagnostics.Select(x => x.Id + " " + x.Message))}");
        Assert.That(text.Substring(d!.Offset, d.Length), Is.EqualTo(spanText), d.Message);
    }

    [TestCase("movl sym@GOTOFF(%ebx), %eax")]
    [TestCase("nop\n.long x@GOT")]
    [TestCase(".set y, x@TPOFF\n.long y")]
    [TestCase(".uleb128 ext")]
    [TestCase(".byte ext+300")]
    [TestCase(".cfi_sections .debug_frame\n.cfi_startproc\nret\n.cfi_endproc\n.cfi_sections .eh_frame")]
    public void A_problem_is_reported_once(string text)
    {
        var assembly = GasAssembler.AssembleFile(text, machine: ObjectFileMachine.I386);
        Assert.That(assembly.Diagnostics.ToList(), Has.Count.EqualTo(1), string.Join("; ", assembly.Diagnostics.Select(x => x.Id + " " + x.Message)));
    }

    [Test]
    public void Cfi_into_eh_frame_is_one_diagnostic_for_the_whole_frame()
    {
        const string Text = ".cfi_startproc\npushl %ebp\n.cfi_adjust_cfa_offset 4\n.cfi_offset ebp, -8\npopl %ebp\nret\n.cfi_endproc\n";
        var assembly = GasAssembler.AssembleFile(Text, machine: ObjectFileMachine.I386);
        Assert.That(assembly.Diagnostics.Select(d => (d.Id, Text.Substring(d.Offset, d.Length))), Is.EqualTo(new[] { (DiagnosticIds.UnknownDirective, ".cfi_startproc") }));
    }

    [Test]
    public void A_64_bit_file_may_not_switch_to_32_bit_code()
    {
        var file = GasObjectApi.Assemble(".code32\nnop\n", "t.s");

        Assert.That(file.Diagnostics.Select(d => (d.Id, d.Line, d.Column)), Is.EqualTo(new[] { (DiagnosticIds.UnknownDirective, 1, 1) }));
    }

    [Test]
    public void A_32_bit_file_is_an_i386_object_with_addends_in_its_bytes()
    {
        var file = GasObjectApi.Assemble(".code32\n\tpushl %ecx\n\tmovl $ext+8, %eax\n\tcall ext\n\tint $0x80\n\t.data\n\t.long ext-4\n", "t.s", ObjectFileMachine.I386);

        var text = file.Section(".text")!;
        var data = file.Section(".data")!;
        Assert.Multiple(() =>
        {
            Assert.That(file.Diagnostics, Is.Empty);
            Assert.That(file.Machine, Is.EqualTo(ObjectFileMachine.I386));
            Assert.That(text.Bytes, Is.EqualTo(new byte[] { 0x51, 0xb8, 8, 0, 0, 0, 0xe8, 0xfc, 0xff, 0xff, 0xff, 0xcd, 0x80 }));
            Assert.That(text.Relocations.Select(r => (r.Offset, r.Type, r.Symbol, r.Addend)), Is.EqualTo(new[] { (2L, RelocatableObject.I386R32, "ext", 8L), (7L, RelocatableObject.I386Pc32, "ext", -4L) }));
            Assert.That(data.Bytes, Is.EqualTo(new byte[] { 0xfc, 0xff, 0xff, 0xff }));
        });
    }
}
