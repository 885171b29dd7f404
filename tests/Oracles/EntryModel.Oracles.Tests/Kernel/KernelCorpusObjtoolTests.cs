using EntryModel.Oracles.Kernel;
using System.Globalization;
using EntryModel.Generators.Encoding;
using EntryModel.Generators.Model;
using EntryModel.Generators.Syntax;
using EntryModel.Generators.Validation;
using EntryModel.Oracles.Tests.GnuAs;
using EntryModel.Oracles.Tests.Objtool;

namespace EntryModel.Oracles.Tests.Kernel;

/// <summary>
/// Oracle: objtool, run as kbuild runs it, on the kernel's own entry and lib files (<see cref="KernelCorpus"/>).
/// GNU as assembles the file and objtool checks it; the generator assembles the same file, linked
/// with a stand-in for every symbol it imports (data, so not kernel text: calls to them are calls
/// out of the object, as objtool sees them), and validates it. In the ORC configuration the rows
/// must be objtool's, row for row; in both configurations the findings must be objtool's (none).
/// </summary>
[TestFixture]
public sealed class KernelCorpusObjtoolTests
{
    private static IEnumerable<TestCaseData> Files() =>
        KernelCorpus.Configurations.SelectMany(c => KernelCorpus.Files(c).Select(f => new TestCaseData(c, f.KernelPath).SetName($"{{m}}({c}, {f.KernelPath})")));

    [TestCaseSource(nameof(Files))]
    public void Kernel_file_validates_as_objtool_validates_it(string configuration, string kernelPath)
    {
        bool orc = configuration == "orc";
        string file = KernelCorpus.Files(configuration).Single(f => f.KernelPath == kernelPath).File;
        string text = File.ReadAllText(file);
        string dir = Directory.CreateTempSubdirectory("entrymodel-kernel-").FullName;
        ObjtoolReport objtool;
        try
        {
            string o = Path.Combine(dir, "file.o");
            GnuAssembler.AssembleObject(file, o);
            objtool = Objtool.Objtool.CheckKernelObject(o, orc);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }

        var (unit, validation, sectionStart) = Validate(text, orc);
        var findings = validation.Findings.Select(f => $"0x{f.Address:x}: {f.Message}").ToList();
        Assert.Multiple(() =>
        {
            Assert.That(validation.InternalError, Is.Null);
            Assert.That(objtool.Warnings.Select(w => $"{w.Function}+0x{w.Offset:x}: {w.Message}"), Is.Empty, "objtool's warnings");
            Assert.That(findings, Is.Empty, "the generator's findings, where objtool has none");
        });

        if (!orc)
        {
            return;
        }

        string SectionOf(ulong address) => unit.Chunks.Items.Last(c => c.Address <= address).Section;
        var ours = validation.Orc
            .Select(row =>
            {
                var entry = new OrcEntry((short)row.SpOffset, (short)row.BpOffset, (OrcRegister)row.SpReg, (OrcRegister)row.BpReg, (OrcType)row.Type, row.End);
                string section = unit.Chunks.Items.Any(c => row.Address >= c.Address && row.Address < c.End) ? SectionOf(row.Address) : SectionOf(row.Address - 1);
                return $"{section}+{row.Address - sectionStart[section]:x}:{entry}";
            })
            .ToList();
        var theirs = objtool.Rows.Select(r => $"{r.Section}+{r.Offset:x}:{r.Row}").ToList();
        var onlyTheirs = theirs.Except(ours).ToList();
        var onlyOurs = ours.Except(theirs).ToList();
        TestContext.Out.WriteLine($"objtool {theirs.Count} rows, generator {ours.Count}; {onlyTheirs.Count} only objtool's, {onlyOurs.Count} only the generator's");
        Assert.That(onlyTheirs.Concat(onlyOurs.Select(r => "generator " + r)), Is.Empty, "first differences:\n" + string.Join("\n", onlyTheirs.Take(15)) + "\n--\n" + string.Join("\n", onlyOurs.Take(15)));
    }

    /// <summary>The file linked with stand-ins for what it imports, and the validation of its kernel text.</summary>
    private static (ValidationUnit Unit, TextValidation Validation, Dictionary<string, ulong> SectionStart) Validate(string text, bool orc)
    {
        var strategy = new StrategySource(orc ? "orc" : "frame-pointer", null, new EquatableArray<string>([orc ? ValidationPlanner.OrcDefine : ValidationPlanner.FramePointerDefine]));
        var file = GasAssembler.AssembleFile(text, strategy, address: 0);
        var (fileModel, parsedFile, fileDecl) = (file.Model, file.Parsed, file.Model.Declarations[0]);
        var imports = RelocatableObject.From(file.Object).Symbols.Where(s => s.Section == null).Select(s => s.Name).ToList();
        string stubs = string.Concat(imports.Select(n => string.Create(CultureInfo.InvariantCulture, $"{n}: .quad 0\n")));
        var stubDecl = new SourceDeclaration(DeclarationKind.Code, "imports", 0, 0, 0, 8, ".data.imports", 0, false, null, 0, false, 0, stubs, TextLocation.None);
        var model = fileModel with { Declarations = new EquatableArray<SourceDeclaration>([fileDecl, stubDecl]) };
        var parsed = new EquatableArray<ParsedDeclaration>([parsedFile, StatementSplitter.Split(stubDecl)]);
        var result = GasAssembler.Assemble(model, parsed, strategy);
        Assert.That(result.Diagnostics.Select(d => $"{d.Id} {d.Message}"), Is.Empty, "the file links with its imports stood in");
        var unit = ValidationPlanner.Plan("kernel", 0, result, out var stray);
        Assert.That(stray.Select(f => f.Message), Is.Empty);
        var sectionStart = result.Chunks.Items.GroupBy(c => c.Section).ToDictionary(g => g.Key, g => g.Min(c => c.Address));
        return (unit, FrameValidator.Validate(unit), sectionStart);
    }
}
