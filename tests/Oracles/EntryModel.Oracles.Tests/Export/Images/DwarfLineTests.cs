using System.Globalization;
using System.Text.RegularExpressions;
using EntryModel.Scenarios.Inspection;

namespace EntryModel.Oracles.Tests.Export.Images;

/// <summary>
/// Oracles: readelf, addr2line and gdb on the exported images' DWARF line information. For every
/// strategy of the default model, readelf decodes <c>.debug_line</c> and <c>.debug_info</c> without a
/// warning, and addr2line and gdb's <c>info line</c> map sampled instructions (every 50th the model
/// disassembles, and each code symbol's first) to the C# file and line the image's line map gives, or
/// to no line where the map has none (alignment fill, the fake <c>pt_regs</c>'s byte).
/// </summary>
[TestFixture]
public sealed partial class DwarfLineTests
{
    private const int SampleEvery = 50;

    [TestCaseSource(typeof(ExportedImages), nameof(ExportedImages.Strategies))]
    public void Readelf_decodes_the_line_table_and_compile_unit_without_warnings(string strategy)
    {
        var image = ExportedImages.Image(strategy);
        var (code, output, error) = Binutils.TryRun("readelf", "--debug-dump=line,info", "-W", ExportedImages.PathOf(strategy));

        Assert.That(code, Is.Zero, error);
        Assert.That(error, Is.Empty, "readelf's warnings");
        Assert.That(output, Does.Not.Contain("Warning").IgnoreCase);
        Assert.That(output, Does.Contain("DW_TAG_compile_unit").And.Contain("DW_AT_stmt_list").And.Contain("DW_AT_ranges"));

        // Every C# file of the code's line map is in the file table.
        foreach (string file in image.Lines.Where(IsCode(image)).Select(l => Path.GetFileName(l.File)).Distinct())
        {
            Assert.That(Regex.IsMatch(output, @"\s" + Regex.Escape(file) + @"\s*$", RegexOptions.Multiline), Is.True, $"{strategy}: {file} missing from the line table");
        }
    }

    [TestCaseSource(typeof(ExportedImages), nameof(ExportedImages.Strategies))]
    public void Addr2line_maps_sampled_instructions_to_the_line_maps_file_and_line(string strategy)
    {
        var image = ExportedImages.Image(strategy);
        var samples = Samples(image);
        var answers = Binutils.Run("addr2line", [.. samples.Select(Hex).Prepend(ExportedImages.PathOf(strategy)).Prepend("-e")])
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.That(answers, Has.Length.EqualTo(samples.Count));
        var differences = new List<string>();
        for (int i = 0; i < samples.Count; i++)
        {
            string expected = SourceOf(image, samples[i]) is { } line ? $"{line.File}:{line.FileLine}" : "??:?";
            if (answers[i].Trim() != expected)
            {
                differences.Add($"{Hex(samples[i])}: line map {expected}, addr2line {answers[i].Trim()}");
            }
        }

        TestContext.Out.WriteLine($"{strategy}: {samples.Count} addresses, {samples.Count(a => SourceOf(image, a) is null)} without a line");
        Assert.That(samples.Count(a => SourceOf(image, a) is not null), Is.GreaterThan(40), $"{strategy}: too few samples with a line");
        Assert.That(differences, Is.Empty, string.Join('\n', differences));
    }

    [TestCaseSource(typeof(ExportedImages), nameof(ExportedImages.Strategies))]
    public void Gdb_info_line_agrees_with_the_line_map(string strategy)
    {
        var image = ExportedImages.Image(strategy);
        var samples = Samples(image);
        var args = new List<string> { "-batch", "-nx" };
        foreach (ulong address in samples)
        {
            args.Add("-ex");
            args.Add("info line *" + Hex(address));
        }

        args.Add(ExportedImages.PathOf(strategy));
        var answers = Binutils.Run("gdb", [.. args]).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.That(answers, Has.Length.EqualTo(samples.Count), string.Join('\n', answers));
        var differences = new List<string>();
        for (int i = 0; i < samples.Count; i++)
        {
            var match = GdbLine().Match(answers[i]);
            string said = match.Success ? $"{match.Groups["file"].Value}:{match.Groups["line"].Value}"
                : NoLine().IsMatch(answers[i]) ? "none" : answers[i];
            string expected = SourceOf(image, samples[i]) is { } line ? $"{line.File}:{line.FileLine}" : "none";
            if (said != expected)
            {
                differences.Add($"{Hex(samples[i])}: line map {expected}, gdb {answers[i]}");
            }
        }

        Assert.That(differences, Is.Empty, string.Join('\n', differences));
    }

    [Test]
    public void Gdb_lists_the_model_source_at_dump_stack()
    {
        var image = ExportedImages.Image("orc");
        ulong address = image.Symbols["dump_stack"].Address;
        var line = SourceOf(image, address) ?? throw new AssertionException("dump_stack has no line");
        string listing = Binutils.Run("gdb", "-batch", "-nx", "-ex", "list *" + Hex(address), ExportedImages.PathOf(image));

        // gdb prints the C# file's own lines around the instruction's, numbered.
        string sourceLine = File.ReadAllLines(line.File)[line.FileLine - 1];
        Assert.That(listing, Does.Contain($"is at {line.File}:{line.FileLine}."));
        Assert.That(listing, Does.Contain($"{line.FileLine}\t{sourceLine}"));
    }

    /// <summary>Every 50th instruction the model disassembles in each code symbol, and each code symbol's first.</summary>
    private static List<ulong> Samples(KernelImage image)
    {
        var samples = new SortedSet<ulong>();
        int n = 0;
        foreach (var symbol in image.Symbols.All.Where(s => s.Kind != SymbolKind.Data))
        {
            samples.Add(symbol.Address);
            foreach (var instruction in SymbolDisassembler.Disassemble(image, symbol))
            {
                if (n++ % SampleEvery == 0)
                {
                    samples.Add(instruction.Address);
                }
            }
        }

        return [.. samples];
    }

    /// <summary>The line map's entry holding <paramref name="address"/> in code, read from the image itself, not from the encoder.</summary>
    private static LineMapEntry? SourceOf(KernelImage image, ulong address)
    {
        foreach (var line in image.Lines.Where(IsCode(image)))
        {
            if (line.Address <= address && address < line.Address + (ulong)line.Length)
            {
                return line;
            }
        }

        return null;
    }

    private static Func<LineMapEntry, bool> IsCode(KernelImage image) =>
        line => image.Chunks.Any(c => c.Flags.HasFlag(SectionPermissions.Executable) && c.Address <= line.Address && line.Address < c.End);

    private static string Hex(ulong address) => string.Create(CultureInfo.InvariantCulture, $"0x{address:x}");

    [GeneratedRegex(@"^Line (?<line>\d+) of ""(?<file>[^""]+)"" (?:starts at|is at) address ")]
    private static partial Regex GdbLine();

    [GeneratedRegex(@"^No line number information available for address 0x[0-9a-f]+")]
    private static partial Regex NoLine();
}
