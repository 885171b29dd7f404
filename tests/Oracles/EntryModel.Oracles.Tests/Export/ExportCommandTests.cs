using EntryModel.Cli;
using EntryModel.Kernel;

namespace EntryModel.Oracles.Tests.Export;

/// <summary><c>entrymodel export</c>: the image it writes is the strategy's, as nm reads it; a wrong strategy or an unwritable path says so.</summary>
[TestFixture]
public sealed class ExportCommandTests
{
    private string dir = string.Empty;

    [SetUp]
    public void CreateDirectory() => dir = Directory.CreateTempSubdirectory("entrymodel-export-image-cli-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(dir, recursive: true);

    [Test]
    public void Export_writes_the_strategys_image_with_its_orc_tables()
    {
        string path = Path.Combine(dir, "orc.elf");

        var (code, _, error) = Run("export", "--strategy", "orc", "-o", path);

        Assert.That(code, Is.EqualTo(0), error);
        var pt = DefaultKernel.Images.Single(i => i.Strategy == "orc").Symbols["pt_regs"];
        Assert.That(Binutils.Run("nm", "-S", path), Does.Contain($"{pt.Address:x16} {pt.Size:x16} T pt_regs"));
        Assert.That(Binutils.Run("readelf", "-S", "-W", path), Does.Contain(".orc_unwind_ip").And.Contain(".orc_lookup"));
    }

    [Test]
    public void Export_of_an_unknown_strategy_exits_2_naming_the_strategies()
    {
        var (code, _, error) = Run("export", "--strategy", "no-such-strategy", "-o", Path.Combine(dir, "x.elf"));

        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain("no-such-strategy").And.Contain("pt-regs-frame").And.Contain("orc"));
        Assert.That(Directory.EnumerateFileSystemEntries(dir), Is.Empty);
    }

    [Test]
    public void Export_to_a_path_it_cannot_write_exits_1_with_the_reason()
    {
        string path = Path.Combine(dir, "no-such-directory", "image.elf");

        var (code, _, error) = Run("export", "-o", path);

        Assert.That(code, Is.EqualTo(1));
        Assert.That(error, Does.Contain("image.elf: error:"));
    }

    private static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = EntryModelCli.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
