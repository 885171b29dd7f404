using System.Globalization;
using System.Text.RegularExpressions;
using EntryModel.Scenarios.Inspection;

namespace EntryModel.Oracles.Tests.Export.Images;

/// <summary>
/// Oracle: GNU objdump. For every strategy of the default model, <c>objdump -d</c> of the exported
/// image and the model's own disassembly (<see cref="SymbolDisassembler"/>, the <c>disasm</c>
/// command) decode every code symbol into the same instructions at the same addresses with the same
/// bytes, spelled the same once <see cref="ObjdumpSpelling"/> brings them to one form.
/// </summary>
[TestFixture]
public sealed partial class ObjdumpDisassemblyTests
{
    [TestCaseSource(typeof(ExportedImages), nameof(ExportedImages.Strategies))]
    public void Objdump_decodes_every_code_symbol_as_the_model_does(string strategy)
    {
        var image = ExportedImages.Image(strategy);

        // -z: zero bytes are code here too, not padding to skip; -w: each instruction's bytes on one line.
        var objdump = Instructions(Binutils.Run("objdump", "-d", "-z", "-w", ExportedImages.PathOf(strategy)));
        var differences = new List<string>();
        int compared = 0;
        var covered = new HashSet<ulong>();
        foreach (var symbol in image.Symbols.All.Where(s => s.Kind != SymbolKind.Data))
        {
            foreach (var line in SymbolDisassembler.Disassemble(image, symbol).SelectMany(Unfolded))
            {
                compared++;
                covered.Add(line.Address);
                string ours = ObjdumpSpelling.OfModel(line.Text);
                if (!objdump.TryGetValue(line.Address, out var theirs))
                {
                    differences.Add($"{line.Address:x} <{symbol.Name}>: model '{ours}', objdump has no instruction here");
                    continue;
                }

                string normalized = ObjdumpSpelling.OfObjdump(theirs.Text, image.Symbols);
                if (!theirs.Bytes.SequenceEqual(line.Bytes) || normalized != ours)
                {
                    differences.Add($"{line.Address:x} <{symbol.Name}>: model {Convert.ToHexString(line.Bytes)} '{ours}', objdump {Convert.ToHexString(theirs.Bytes)} '{theirs.Text}' (as '{normalized}')");
                }
            }
        }

        // Every instruction objdump decodes in the image's code is one the model decodes too.
        var codeChunks = image.Chunks.Where(c => c.Flags.HasFlag(SectionPermissions.Executable)).ToList();
        foreach (var address in objdump.Keys.Where(a => codeChunks.Any(c => c.Address <= a && a < c.End) && image.Symbols.TryLookup(a, out _, out _) && !covered.Contains(a)))
        {
            differences.Add($"{address:x}: objdump '{objdump[address].Text}', the model decodes no instruction here");
        }

        TestContext.Out.WriteLine($"{strategy}: {compared} instructions compared, {differences.Count} differences");
        Assert.That(compared, Is.GreaterThan(100), $"{strategy}: too few instructions for a comparison");
        Assert.That(differences, Is.Empty, string.Join('\n', differences.Take(40)));
    }

    /// <summary>The model folds long runs of one filler byte into one line; objdump writes each.</summary>
    private static IEnumerable<DisassemblyLine> Unfolded(DisassemblyLine line) =>
        Enumerable.Range(0, line.Repeat).Select(i => line with { Address = line.Address + (ulong)(i * line.Bytes.Length), Repeat = 1 });

    private static Dictionary<ulong, (byte[] Bytes, string Text)> Instructions(string objdump)
    {
        var result = new Dictionary<ulong, (byte[], string)>();
        foreach (Match m in InstructionRow().Matches(objdump))
        {
            ulong address = ulong.Parse(m.Groups["addr"].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            result[address] = (Convert.FromHexString(m.Groups["bytes"].Value.Replace(" ", string.Empty, StringComparison.Ordinal)), m.Groups["text"].Value);
        }

        return result;
    }

    [GeneratedRegex(@"^\s*(?<addr>[0-9a-f]+):\t(?<bytes>[0-9a-f]{2}(?: [0-9a-f]{2})*)\s*\t(?<text>.*)$", RegexOptions.Multiline)]
    private static partial Regex InstructionRow();
}
