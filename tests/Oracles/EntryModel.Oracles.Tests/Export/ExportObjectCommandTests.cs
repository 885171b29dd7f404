using System.Text.RegularExpressions;
using EntryModel.Cli;

namespace EntryModel.Oracles.Tests.Export;

/// <summary><c>entrymodel export-object</c>: its object is one GNU ld links; its errors name the file, line and column.</summary>
[TestFixture]
public sealed class ExportObjectCommandTests
{
    private const string Program = """
        .text
        .globl entry
        .type entry, @function
        entry:
            movq $data, %rax
            call helper
            jmp 1f
        1:  ret
        .size entry, . - entry
        .data
        data:
            .quad entry
        """;

    private string dir = string.Empty;

    [SetUp]
    public void CreateDirectory() => dir = Directory.CreateTempSubdirectory("entrymodel-export-cli-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(dir, recursive: true);

    [Test]
    public void Export_object_writes_a_file_ld_r_links()
    {
        string source = Path.Combine(dir, "program.s"), obj = Path.Combine(dir, "program.o"), linked = Path.Combine(dir, "linked.o");
        File.WriteAllText(source, Program);

        var (code, _, error) = Run("export-object", source, "-o", obj);

        Assert.That(code, Is.EqualTo(0), error);
        var (ld, _, ldError) = Binutils.TryRun("ld", "-r", "-m", "elf_x86_64", "-o", linked, obj);
        Assert.That(ld, Is.EqualTo(0), $"ld -r refused the object: {ldError}");
        Assert.That(Binutils.Run("nm", linked), Does.Contain(" T entry").And.Contain(" U helper").And.Contain(" d data"));
    }

    [Test]
    public void Export_object_with_32_writes_an_i386_object_ld_r_links()
    {
        string source = Path.Combine(dir, "vdso32.s"), obj = Path.Combine(dir, "vdso32.o"), linked = Path.Combine(dir, "linked.o");
        File.WriteAllText(source, ".text\n.globl entry\nentry:\n    pushl %ecx\n    call helper\n    popl %ecx\n    ret\n.data\ndata:\n    .long entry+1\n");

        var (code, _, error) = Run("export-object", source, "-o", obj, "--32");

        Assert.That(code, Is.EqualTo(0), error);
        Assert.That(Binutils.Run("readelf", "-h", obj), Does.Contain("ELF32").And.Contain("Intel 80386"));
        var (ld, _, ldError) = Binutils.TryRun("ld", "-r", "-m", "elf_i386", "-o", linked, obj);
        Assert.That(ld, Is.EqualTo(0), $"ld -r refused the object: {ldError}");
        Assert.That(Binutils.Run("nm", linked), Does.Contain(" T entry").And.Contain(" U helper").And.Contain(" d data"));
        Assert.That(Binutils.Run("objdump", "-dr", obj), Does.Contain("R_386_PC32\thelper"));
    }

    [Test]
    public void Export_object_reports_an_error_at_its_line_and_column_and_writes_nothing()
    {
        string source = Path.Combine(dir, "broken.s"), obj = Path.Combine(dir, "broken.o");
        File.WriteAllText(source, ".text\nentry:\n    frobnicate %rax\n    ret\n");

        var (code, _, error) = Run("export-object", source, "-o", obj);

        Assert.That(code, Is.EqualTo(1));
        Assert.That(error, Does.Match("^" + Regex.Escape(source) + @":3:\d+: error EM\d{4}: "));
        Assert.That(File.Exists(obj), Is.False, "an object was written for a file with errors");
    }

    private static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = EntryModelCli.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
