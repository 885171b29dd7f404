using System.Globalization;

namespace EntryModel.Oracles.Tests.Export.Images;

/// <summary>
/// Oracle: gdb. For every strategy of the default model, gdb opens the exported image and names
/// every symbol's first byte, and the byte after it (a return address right after a call at the
/// start, such as <c>pt_regs+1</c>), as the image's own symbol table does (kallsyms-style, <c>%pS</c>).
/// </summary>
[TestFixture]
public sealed class GdbImageTests
{
    [TestCaseSource(typeof(ExportedImages), nameof(ExportedImages.Strategies))]
    public void Gdb_names_addresses_as_the_images_symbol_table_does(string strategy)
    {
        var image = ExportedImages.Image(strategy);
        var addresses = image.Symbols.All.SelectMany(s => s.Size > 1 ? new[] { s.Address, s.Address + 1 } : [s.Address]).Distinct().Order().ToList();
        var args = new List<string> { "-batch", "-nx" };
        foreach (ulong address in addresses)
        {
            args.Add("-ex");
            args.Add(string.Create(CultureInfo.InvariantCulture, $"info symbol 0x{address:x}"));
        }

        args.Add(ExportedImages.PathOf(strategy));
        var answers = Binutils.Run("gdb", [.. args]).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.That(answers, Has.Length.EqualTo(addresses.Count), string.Join('\n', answers));
        var differences = new List<string>();
        for (int i = 0; i < addresses.Count; i++)
        {
            Assert.That(image.Symbols.TryLookup(addresses[i], out var symbol, out ulong offset), Is.True);
            string expected = offset == 0 ? $"{symbol.Name} in section {symbol.Section}" : $"{symbol.Name} + {offset} in section {symbol.Section}";
            if (answers[i].Trim() != expected)
            {
                differences.Add($"0x{addresses[i]:x}: image {expected}, gdb {answers[i].Trim()}");
            }
        }

        Assert.That(differences, Is.Empty, string.Join('\n', differences));
    }
}
