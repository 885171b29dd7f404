using EntryModel.Generators.Diagnostics;
using EntryModel.Generators.Encoding;
using EntryModel.Generators.Model;
using EntryModel.Generators.Syntax;

namespace EntryModel.Generators.Tests.Encoding;

/// <summary>Declarations are assembled on their own and linked per strategy: what only the linker can do.</summary>
[TestFixture]
public sealed class LinkerTests
{
    private const ulong Text = 0xffffffff81000000;

    [Test]
    public void A_call_into_another_declaration_is_resolved_at_link_time_relative_to_its_final_place()
    {
        var result = Assemble(
            Code("caller", 0, "call callee\nret"),
            Code("callee", 0, "ret"));
        Assert.That(result.Diagnostics, Is.Empty);
        var caller = result.Symbols.Single(s => s.Name == "caller");
        var callee = result.Symbols.Single(s => s.Name == "callee");
        var bytes = Bytes(result, caller.Address, 5);
        int rel = BitConverter.ToInt32(bytes, 1);
        Assert.Multiple(() =>
        {
            Assert.That(bytes[0], Is.EqualTo(0xE8));
            Assert.That(caller.Address + 5 + (ulong)(long)rel, Is.EqualTo(callee.Address));
            Assert.That(callee.Address % 16, Is.Zero, "an unfixed declaration starts at its alignment");
            Assert.That(result.Relocations.Single().Symbol, Is.EqualTo("callee"));
        });
    }

    [Test]
    public void A_label_minus_a_place_in_another_section_is_a_32_bit_self_relative_field()
    {
        // The kernel's unwind hint record: `.long label - .` from .discard.unwind_hints into .text.
        var result = Assemble(Code("f", Text, """
            pushq %rbp
            1:
            .pushsection .discard.unwind_hints
            .long 1b - .
            .short 8
            .popsection
            nop
            ret
            """));
        Assert.That(result.Diagnostics, Is.Empty);
        Assert.That(result.Chunks.Select(c => c.Section), Has.None.StartsWith(".discard"), "not loaded into the image");
        var table = result.Discarded.Single(c => c.Section == ".discard.unwind_hints");
        int field = BitConverter.ToInt32(table.Bytes.Items.ToArray(), 0);
        Assert.Multiple(() =>
        {
            Assert.That(table.Address + (ulong)(long)field, Is.EqualTo(Text + 1), "label - place, place being the field itself");
            Assert.That(BitConverter.ToInt16(table.Bytes.Items.ToArray(), 4), Is.EqualTo(8));
            Assert.That(result.Relocations.Single(r => r.Address == table.Address).Kind, Is.EqualTo(RelocationKinds.Relative32));
        });
    }

    [Test]
    public void Kernel_style_cfi_builds_an_image_whose_loaded_bytes_are_the_code_alone()
    {
        // .debug_frame is not allocated (GNU as gives it no SHF_ALLOC): nothing of it is loaded, and
        // its CIE pointers are offsets in the section, which fit their 4 bytes.
        var withCfi = Assemble(
            Code("f", 0, ".cfi_sections .debug_frame\n.cfi_startproc\npush %rbp\n.cfi_adjust_cfa_offset 8\npop %rbp\nret\n.cfi_endproc"),
            Code("h", 0, ".pushsection .other\n.byte 1\n.popsection\nret"));
        Assert.Multiple(() =>
        {
            Assert.That(withCfi.Diagnostics, Is.Empty);
            Assert.That(withCfi.Chunks.Select(c => c.Section), Has.None.StartsWith(".debug"));
            Assert.That(withCfi.Discarded.Select(c => c.Section), Has.None.StartsWith(".debug"));
            Assert.That(withCfi.Relocations.Select(r => r.Address), Has.All.GreaterThanOrEqualTo(Text), "no image relocation in a section that is not loaded");
            Assert.That(withCfi.Chunks.Single(c => c.Section == ".other").Address, Is.EqualTo(0xffffffff82000000UL), "the debug section takes no slot from loaded ones");
            Assert.That(Bytes(withCfi, withCfi.Symbols.Single(s => s.Name == "f").Address, 3), Is.EqualTo(new byte[] { 0x55, 0x5d, 0xc3 }));
        });
    }

    [Test]
    public void Cfi_into_eh_frame_is_reported_once_at_its_start()
    {
        const string Source = ".cfi_startproc\npush %rbp\n.cfi_adjust_cfa_offset 8\npop %rbp\nret\n.cfi_endproc\n.cfi_startproc\nret\n.cfi_endproc";
        var result = Assemble(Code("f", 0, Source));
        Assert.That(result.Diagnostics.Select(d => (d.Id, Source.Substring(d.Offset, d.Length))), Is.EqualTo(new[] { (DiagnosticIds.UnknownDirective, ".cfi_startproc"), (DiagnosticIds.UnknownDirective, ".cfi_startproc") }));
    }

    [Test]
    public void A_64_bit_absolute_address_is_filled_in_whole()
    {
        var result = Assemble(Code("f", Text, "movabsq data, %rax\nret"), Code("data", Text + 0x100, ".quad 7"));
        var relocation = result.Relocations.Single();
        Assert.Multiple(() =>
        {
            Assert.That(relocation.Kind, Is.EqualTo(RelocationKinds.Absolute64));
            Assert.That(BitConverter.ToUInt64(Bytes(result, Text + 2, 8)), Is.EqualTo(Text + 0x100));
        });
    }

    [Test]
    public void A_jump_to_another_declaration_is_always_near_as_between_objects()
    {
        var result = Assemble(Code("a", Text, "jmp b"), Code("b", Text + 0x10, "ret"));
        Assert.That(Bytes(result, Text, 1)[0], Is.EqualTo(0xE9));
    }

    [Test]
    public void The_shared_headers_constants_become_the_images_and_a_declarations_own_do_not()
    {
        var result = Assemble(
            Macros(".set RIP, 16*8\n.set CS, RIP+8"),
            Code("f", 0, ".set LOCAL, 3\nmovq RIP(%rsp), %rax\nret"));
        Assert.That(result.Constants.Select(c => (c.Name, c.Value)), Is.EquivalentTo(new[] { ("CS", 136L), ("RIP", 128L) }));
    }

    [Test]
    public void A_value_that_does_not_fit_its_field_is_reported_at_link_time_on_the_symbol()
    {
        // A 32-bit zero-extended immediate cannot hold a kernel address.
        string text = "movl $target, %eax\nret";
        var result = Assemble(Code("f", 0, text), Code("target", 0, "ret"));
        var d = result.Diagnostics.Single(x => x.Id == DiagnosticIds.ValueOutOfRange);
        Assert.That(text.Substring(d.Offset, d.Length), Is.EqualTo("target"));
    }

    [Test]
    public void A_value_that_does_not_fit_a_field_of_a_discarded_section_is_not_an_error_as_ld_never_applies_it()
    {
        // The kernel's ANNOTATE_INTRA_FUNCTION_CALL: an absolute 32-bit address of a text label,
        // which only objtool reads (from the object); ld drops the section unrelocated.
        var result = Assemble(Code("f", Text, """
            999:
            .pushsection .discard.intra_function_calls
            .long 999b
            .popsection
            call 1f
            1: ret
            """));
        Assert.Multiple(() =>
        {
            Assert.That(result.Diagnostics, Is.Empty);
            var record = result.Discarded.Single(c => c.Section == ".discard.intra_function_calls").Bytes.Items.ToArray();
            Assert.That(record, Has.Length.EqualTo(4), "kept for the validation");
            // Its low 32 bits, from which validation recovers the (sign-extended kernel) address.
            ulong call = result.Symbols.Single(s => s.Name == "f").Address;
            Assert.That(BitConverter.ToUInt32(record), Is.EqualTo(unchecked((uint)call)));
        });
    }

    [Test]
    public void A_label_defined_by_two_declarations_is_a_duplicate_reported_on_the_second()
    {
        string second = "nop\nshared: ret";
        var result = Assemble(Code("one", 0, "shared: ret"), Code("two", 0, second));
        var d = result.Diagnostics.Single(x => x.Id == DiagnosticIds.DuplicateSymbol);
        Assert.Multiple(() =>
        {
            Assert.That(d.DeclarationIndex, Is.EqualTo(1));
            Assert.That(second.Substring(d.Offset, d.Length), Is.EqualTo("shared"));
            Assert.That(d.Message, Does.Contain("'one'"));
        });
    }

    [Test]
    public void Local_labels_stay_inside_their_declaration()
    {
        var result = Assemble(Code("one", 0, ".Lhere: ret"), Code("two", 0, "jmp .Lhere"));
        Assert.That(result.Diagnostics.Single().Id, Is.EqualTo(DiagnosticIds.UndefinedSymbol));
    }

    [Test]
    public void An_expression_the_linker_cannot_finish_is_an_error_not_a_wrong_value()
    {
        var result = Assemble(Code("f", 0, ".quad g * 2"), Code("g", 0, "ret"));
        Assert.That(result.Diagnostics.Select(d => d.Id), Does.Contain(DiagnosticIds.UndefinedSymbol));
    }

    [Test]
    public void Editing_one_declaration_leaves_the_others_objects_equal()
    {
        var model = Model(Code("a", 0, "call b\nret"), Code("b", 0, "ret"));
        var edited = Model(Code("a", 0, "call b\nnop\nret"), Code("b", 0, "ret"));
        var strategy = new StrategySource("s", null, EquatableArray<string>.Empty);
        var before = GasAssembler.ObjectInputs(model, Parse(model), strategy).ToList();
        var after = GasAssembler.ObjectInputs(edited, Parse(edited), strategy).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(after[1], Is.Not.EqualTo(before[1]), "a's input changed");
            Assert.That(after[2], Is.EqualTo(before[2]), "b's input did not");
            Assert.That(GasAssembler.AssembleObject(after[2]), Is.EqualTo(GasAssembler.AssembleObject(before[2])));
        });
    }

    [Test]
    public void The_link_reports_only_its_own_findings_and_a_whole_run_reports_each_stage_once()
    {
        var model = Model(Code("f", 0, "frob %rax\ncall nowhere\nret\n/* open"));
        var parsed = Parse(model);
        var strategy = new StrategySource("s", null, EquatableArray<string>.Empty);
        var objects = GasAssembler.ObjectInputs(model, parsed, strategy).Select(GasAssembler.AssembleObject).ToList();
        var linked = GasAssembler.Link(model, parsed, objects, strategy);
        var whole = GasAssembler.Assemble(model, parsed, strategy);

        Assert.Multiple(() =>
        {
            Assert.That(parsed[0].Diagnostics.Select(d => d.Id), Is.EqualTo(new[] { DiagnosticIds.SyntaxError }));
            Assert.That(objects.SelectMany(o => o.Diagnostics).Select(d => d.Id), Is.EqualTo(new[] { DiagnosticIds.UnknownMnemonic }), "the splitter's finding is not the object's");
            Assert.That(linked.Diagnostics.Select(d => d.Id), Is.EqualTo(new[] { DiagnosticIds.UndefinedSymbol }), "the object's finding is not the link's");
            Assert.That(whole.Diagnostics.Select(d => d.Id), Is.EqualTo(new[] { DiagnosticIds.SyntaxError, DiagnosticIds.UnknownMnemonic, DiagnosticIds.UndefinedSymbol }));
        });
    }

    [Test]
    public void Only_the_macros_object_reports_the_shared_headers_problems()
    {
        var model = Model(Macros(".frob\n.set X, 1"), Code("a", 0, "ret"), Code("b", 0, "ret"));
        var strategy = new StrategySource("s", null, new EquatableArray<string>(["BAD=1+"]));
        var objects = GasAssembler.ObjectInputs(model, Parse(model), strategy).Select(GasAssembler.AssembleObject).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(objects.Single(o => o.Declaration == GasAssembler.MacrosOnly).Diagnostics.Select(d => d.Id), Is.EqualTo(new[] { DiagnosticIds.BadDeclaration, DiagnosticIds.UnknownDirective }));
            Assert.That(objects.Where(o => o.Declaration != GasAssembler.MacrosOnly).SelectMany(o => o.Diagnostics), Is.Empty);
        });
    }

    [Test]
    public void A_reference_a_repeated_statement_makes_is_one_finding_at_its_place()
    {
        string text = ".rept 3\nmovl $target, %eax\n.endr\nret";
        var result = Assemble(Code("f", 0, text), Code("target", 0, "ret"));
        var d = result.Diagnostics.Single();
        Assert.Multiple(() =>
        {
            Assert.That(d.Id, Is.EqualTo(DiagnosticIds.ValueOutOfRange));
            Assert.That(text.Substring(d.Offset, d.Length), Is.EqualTo("target"));
            Assert.That(d.Message, Does.Not.Contain("referenced by"), "its place is in the declaration that references it");
        });
    }

    [Test]
    public void A_declarations_object_refers_to_what_it_does_not_define_as_gnu_as_would()
    {
        var model = Model(Code("a", 0, "call helper\nmovq helper(%rip), %rax\nret"), Code("helper", 0, "ret"));
        var strategy = new StrategySource("s", null, EquatableArray<string>.Empty);
        var input = GasAssembler.ObjectInputs(model, Parse(model), strategy).Single(i => i.Target == 0);
        var obj = RelocatableObject.From(GasAssembler.AssembleObject(input));

        var text = obj.Sections.Single(s => s.Name == ".text");
        Assert.Multiple(() =>
        {
            Assert.That(text.Relocations, Is.EqualTo(new[]
            {
                new ElfRelocationEntry(1, RelocatableObject.Plt32, "helper", -4),
                new ElfRelocationEntry(8, RelocatableObject.Pc32, "helper", -4),
            }));
            Assert.That(text.Bytes.Skip(1).Take(4), Is.All.Zero, "a relocated field holds 0, as in a RELA object");
            Assert.That(obj.Symbols.Single(s => s.Name == "helper"), Is.EqualTo(new ElfSymbolEntry("helper", null, 0, 0, RelocatableObject.SttNoType, SymbolBinding.Global)));
            Assert.That(obj.Symbols.Single(s => s.Name == "a").Section, Is.EqualTo(".text"));
        });
    }

    private static byte[] Bytes(AssemblyResult result, ulong address, int length)
    {
        var chunk = result.Chunks.Single(c => address >= c.Address && address + (ulong)length <= c.Address + (ulong)c.Bytes.Count);
        return chunk.Bytes.Items.Skip((int)(address - chunk.Address)).Take(length).ToArray();
    }

    private static SourceDeclaration Code(string name, ulong address, string text) =>
        new(DeclarationKind.Code, name, 0, address, 0, 16, ".text", 0, false, null, 0, false, 0, text, TextLocation.None);

    private static SourceDeclaration Macros(string text) =>
        new(DeclarationKind.Macros, "header", 0, 0, 0, 1, ".text", 0, false, null, 0, false, 0, text, TextLocation.None);

    private static ModelSource Model(params SourceDeclaration[] declarations) =>
        new("N", "C", "f.cs", EquatableArray<StrategySource>.Empty, EquatableArray<SectionSource>.Empty, new EquatableArray<SourceDeclaration>(declarations));

    private static EquatableArray<ParsedDeclaration> Parse(ModelSource model) => new(model.Declarations.Select(StatementSplitter.Split));

    private static AssemblyResult Assemble(params SourceDeclaration[] declarations)
    {
        var model = Model(declarations);
        return GasAssembler.Assemble(model, Parse(model), new StrategySource("s", null, EquatableArray<string>.Empty));
    }
}
