using EntryModel.Generators.Diagnostics;
using EntryModel.Generators.Tests.Extraction;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace EntryModel.Generators.Tests.Generator;

/// <summary>
/// <c>[GasFile]</c>: a declaration's text is an AdditionalFiles item, assembled as it is, with
/// diagnostics and the line map in the file itself; a path no item (or several) matches is reported
/// on the attribute's path.
/// </summary>
public sealed class GasFileTests
{
    private const string EntryPath = "/proj/arch/x86/entry/entry_64.s";
    private const string CallingPath = "/proj/arch/x86/entry/calling.s";

    // As kbuild's cpp step leaves it: line markers, then GAS text that uses the header's macro.
    // do_thing is a function, as SYM_FUNC_START/END make one (the file defines only its own symbols).
    private const string Entry = "# 1 \"arch/x86/entry/entry_64.S\"\n# 1 \"<built-in>\"\n\t.globl do_thing; .type do_thing, @function\ndo_thing:\n\tSAVE_FRAME\n\tpopq %rbp\n\tret\n\t.size do_thing, .-do_thing\n";
    private const string Calling = "# 1 \"arch/x86/entry/calling.h\"\n.macro SAVE_FRAME\n\tpushq %rbp\n.endm\n";

    private const string Model = """
        using EntryModel;
        namespace Demo;
        [KernelModel, FrameStrategy("none")]
        public static partial class Kernel
        {
            [GasMacros, GasFile("calling.s")] public const string Calling = "";
            [GasCode("entry_64", Address = 0xffffffff81000000), GasFile("arch/x86/entry/entry_64.s")] public const string Entry64 = "";
        }
        """;

    [Test]
    public void File_declaration_assembles_and_its_image_holds_the_files_symbols()
    {
        var outcome = GeneratorHarness.Run(Files((EntryPath, Entry), (CallingPath, Calling)), Model);
        Assert.That(outcome.Diagnostics, Is.Empty);

        var image = (KernelImage)GeneratorHarness.StaticProperty(GeneratorHarness.Load(outcome.Output), "Demo.Kernel", "None")!;
        var doThing = image.Symbols["do_thing"];
        var chunk = image.Chunks.Single(c => doThing.Address >= c.Address && doThing.Address < c.End);
        Assert.Multiple(() =>
        {
            // A whole file defines only what its text defines: not the declaration's name.
            Assert.That(image.Symbols.TryGet("entry_64", out _), Is.False);
            Assert.That(doThing.Address, Is.EqualTo(0xffffffff81000000UL));
            Assert.That(chunk.Bytes.AsSpan((int)(doThing.Address - chunk.Address), 3).ToArray(), Is.EqualTo(new byte[] { 0x55, 0x5d, 0xc3 }));

            // The line map names the file and its own line numbers.
            var pop = image.Lines.Single(l => l.Text.Contains("popq", StringComparison.Ordinal));
            Assert.That(pop.File, Is.EqualTo(EntryPath));
            Assert.That(pop.FileLine, Is.EqualTo(6));
        });
    }

    [Test]
    public void Error_in_the_file_is_reported_at_its_line_and_column_in_the_file()
    {
        string broken = Entry.Replace("\tpopq %rbp\n", "\tpopq %rbp\n\tfrobnicate %rax\n", StringComparison.Ordinal);
        var outcome = GeneratorHarness.Run(Files((EntryPath, broken), (CallingPath, Calling)), Model);

        var diagnostic = outcome.WithId(DiagnosticIds.UnknownMnemonic).Single();
        var lineSpan = diagnostic.Location.GetLineSpan();
        int at = broken.IndexOf("frobnicate", StringComparison.Ordinal);
        Assert.Multiple(() =>
        {
            Assert.That(lineSpan.Path, Is.EqualTo(EntryPath));
            Assert.That(lineSpan.StartLinePosition, Is.EqualTo(new LinePosition(6, 1)));
            Assert.That(diagnostic.Location.SourceSpan.Start, Is.EqualTo(at));
            Assert.That(outcome.GeneratedSource, Does.Contain("None => throw new global::System.InvalidOperationException("));
        });
    }

    [Test]
    public void Missing_file_is_reported_on_the_path_in_the_attribute()
    {
        var outcome = GeneratorHarness.Run(Files((CallingPath, Calling), ("/proj/my_entry_64.s", Entry)), Model);

        var diagnostic = outcome.WithId(DiagnosticIds.GasFileNotFound).Single();
        Assert.Multiple(() =>
        {
            Assert.That(diagnostic.Severity, Is.EqualTo(DiagnosticSeverity.Error));
            Assert.That(diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), Does.Contain("<AdditionalFiles Include=\"arch/x86/entry/entry_64.s\" />"));
            Assert.That(diagnostic.Location.GetLineSpan().Path, Is.EqualTo(GeneratorHarness.ModelPath));
            Assert.That(ModelExtractorTests.SpanText(Model, diagnostic), Is.EqualTo("arch/x86/entry/entry_64.s"));
            Assert.That(outcome.GeneratedSource, Does.Contain("None => throw new global::System.InvalidOperationException("));
        });
    }

    [Test]
    public void File_name_matching_several_items_is_ambiguous_unless_the_project_directory_decides()
    {
        var files = Files((EntryPath, Entry), ("/proj/arch/x86/entry/calling.s", Calling), ("/proj/include/calling.s", Calling));

        var ambiguous = GeneratorHarness.Run(files, Model).WithId(DiagnosticIds.GasFileAmbiguous).Single();
        Assert.That(ModelExtractorTests.SpanText(Model, ambiguous), Is.EqualTo("calling.s"));

        // A path relative to the project names the item directly under it, as an MSBuild Include would.
        var projectRelative = Files((EntryPath, Entry), ("/proj/calling.s", Calling), ("/proj/include/calling.s", Calling));
        var outcome = GeneratorHarness.Run(new EntryModelGenerator(), new Dictionary<string, string> { ["ProjectDir"] = "/proj/" }, projectRelative, Model);
        Assert.That(outcome.Diagnostics, Is.Empty);
    }

    [Test]
    public void GasFile_without_a_declaration_attribute_is_reported()
    {
        string source = Model.Replace("[GasCode(\"entry_64\", Address = 0xffffffff81000000), GasFile", "[GasFile", StringComparison.Ordinal);
        var diagnostic = GeneratorHarness.Run(Files((EntryPath, Entry), (CallingPath, Calling)), source).WithId(DiagnosticIds.GasFileWithoutDeclaration).Single();
        Assert.That(ModelExtractorTests.SpanText(source, diagnostic), Is.EqualTo("GasFile(\"arch/x86/entry/entry_64.s\")"));
    }

    [Test]
    public void Field_text_next_to_a_GasFile_is_ignored_with_a_warning()
    {
        string source = Model.Replace("Entry64 = \"\"", "Entry64 = \"ud2\"", StringComparison.Ordinal);
        var outcome = GeneratorHarness.Run(Files((EntryPath, Entry), (CallingPath, Calling)), source);

        // A warning by default (the harness, like the consumer, makes every warning an error).
        Assert.That(outcome.Diagnostics.Select(d => (d.Id, d.DefaultSeverity)), Is.EqualTo(new[] { (DiagnosticIds.GasFileFieldHasText, DiagnosticSeverity.Warning) }));
        var image = (KernelImage)GeneratorHarness.StaticProperty(GeneratorHarness.Load(outcome.Output), "Demo.Kernel", "None")!;
        Assert.That(image.Symbols["do_thing"].Address, Is.EqualTo(0xffffffff81000000UL));
    }

    [Test]
    public void GasFile_outside_a_kernel_model_is_reported_once()
    {
        const string Source = """
            using EntryModel;
            public static class NotAModel
            {
                [GasCode("f"), GasFile("f.s")] public const string F = "";
                [GasFile("g.s")] public const string G = "";
            }
            """;
        var orphans = GeneratorHarness.Run(Source).WithId(DiagnosticIds.DeclarationOutsideModel).ToList();
        Assert.That(orphans.Select(d => ModelExtractorTests.SpanText(Source, d)), Is.EquivalentTo(new[] { "GasCode(\"f\")", "GasFile(\"g.s\")" }));
    }

    internal static AdditionalText[] Files(params (string Path, string Text)[] files) =>
        [.. files.Select(f => (AdditionalText)new InMemoryAdditionalText(f.Path, f.Text))];
}
