using System.Globalization;
using System.Text.RegularExpressions;
using EntryModel.Export;
using EntryModel.Scenarios.Inspection;

namespace EntryModel.Oracles.Tests.Export.Images;

/// <summary>
/// Oracle: readelf on the exported images' <c>.eh_frame</c>. Exactly the strategies with ORC tables
/// carry one; readelf decodes it without a warning; every ORC row that knows its frame has an FDE from
/// its address, of the "zRS" (signal frame) CIE when the row is a pt_regs or iret frame and of the "zR"
/// one otherwise, whose rules, as readelf spells them, say what the row says (the CFA's base and offset,
/// where the return address and %rbp are, a pt_regs or iret frame read at the pt_regs offsets of the
/// image's constants, no caller at an end row); and at sampled instructions readelf's table of rules
/// (<c>frames-interp</c>) gives the CFA and return address the row in force there gives.
/// </summary>
[TestFixture]
public sealed partial class EhFrameTests
{
    private const int SampleEvery = 10;

    [TestCaseSource(typeof(ExportedImages), nameof(ExportedImages.Strategies))]
    public void Eh_frame_is_there_exactly_when_the_strategy_has_orc_tables_and_readelf_decodes_it_cleanly(string strategy)
    {
        var image = ExportedImages.Image(strategy);
        var (code, output, error) = Binutils.TryRun("readelf", "--debug-dump=frames", "-W", ExportedImages.PathOf(strategy));

        Assert.That(code, Is.Zero, error);
        Assert.That(error, Is.Empty, "readelf's warnings");
        if (image.Orc is null)
        {
            Assert.That(output, Does.Not.Contain(".eh_frame"), $"{strategy} has frame pointers and no ORC rows");
            return;
        }

        Assert.That(output, Does.Contain("Contents of the .eh_frame section").And.Contain("Augmentation:          \"zR\"").And.Contain("Augmentation:          \"zRS\"").And.Contain("ZERO terminator"));
        Assert.That(output, Does.Not.Contain("Warning").IgnoreCase.And.Not.Contain("bad").IgnoreCase);
    }

    [Test]
    public void Every_known_orc_row_has_an_fde_whose_rules_say_what_the_row_says()
    {
        var image = ExportedImages.Image("orc");
        var orc = image.Orc!;
        var fdes = Fdes(Binutils.Run("readelf", "--debug-dump=frames", "-W", ExportedImages.PathOf(image)));
        var differences = new List<string>();
        int known = 0;
        for (int i = 0; i < orc.Count; i++)
        {
            var row = orc.Entries[i];
            if (row.IsUndefined)
            {
                Assert.That(fdes.ContainsKey(orc.Ips[i]), Is.False, $"0x{orc.Ips[i]:x}: a row that knows nothing has no FDE");
                continue;
            }

            known++;
            if (!fdes.TryGetValue(orc.Ips[i], out var fde))
            {
                differences.Add($"0x{orc.Ips[i]:x} {row}: no FDE");
                continue;
            }

            // Code standing on pt_regs is a signal frame: its CIE says "S".
            var (augmentation, rules) = fde;
            string expected = row.Type == OrcType.Call ? "zR" : "zRS";
            if (augmentation != expected)
            {
                differences.Add($"0x{orc.Ips[i]:x} {row}: CIE \"{augmentation}\", expected \"{expected}\"");
            }

            foreach (string rule in ExpectedRules(image, row).Where(r => !rules.Contains(r)))
            {
                differences.Add($"0x{orc.Ips[i]:x} {row}: lacks '{rule}', has: {string.Join(" | ", rules)}");
            }
        }

        Assert.That(fdes, Has.Count.EqualTo(known), "one FDE per row that knows its frame");
        Assert.That(differences, Is.Empty, string.Join('\n', differences.Take(30)));
    }

    [Test]
    public void Readelfs_rule_table_at_sampled_instructions_gives_the_cfa_and_return_address_of_the_orc_row_in_force()
    {
        var image = ExportedImages.Image("orc");
        var orc = image.Orc!;
        var table = RuleTable(Binutils.Run("readelf", "--debug-dump=frames-interp", "-W", ExportedImages.PathOf(image)));
        int n = 0;
        var differences = new List<string>();
        int compared = 0;
        foreach (var symbol in image.Symbols.All.Where(s => s.Kind != SymbolKind.Data && s.Address >= orc.TextStart && s.Address < orc.TextEnd))
        {
            foreach (var instruction in SymbolDisassembler.Disassemble(image, symbol))
            {
                if (n++ % SampleEvery != 0 || !orc.TryFind(instruction.Address, out var row) || row.IsUndefined)
                {
                    continue;
                }

                compared++;
                var found = table.LastOrDefault(r => r.Start <= instruction.Address && instruction.Address < r.End);
                (string Cfa, string Ra) expected = (row.Type, row.SpReg, row.End) switch
                {
                    (_, OrcRegister.Undefined, true) => ("rsp+8", "u"),
                    (OrcType.Call, OrcRegister.Sp, _) => ($"rsp+{row.SpOffset}", row.End ? "u" : "c-8"),
                    (OrcType.Call, OrcRegister.Bp, _) => ($"rbp+{row.SpOffset}", row.End ? "u" : "c-8"),
                    (OrcType.Call, _, _) => ("exp", row.End ? "u" : "c-8"),
                    _ => ("exp", row.End ? "u" : "exp"),
                };
                if (found.Start == 0 || (found.Cfa, found.Ra) != expected)
                {
                    differences.Add($"0x{instruction.Address:x} {row}: expected CFA {expected.Cfa} ra {expected.Ra}, readelf {(found.Start == 0 ? "no FDE" : $"CFA {found.Cfa} ra {found.Ra}")}");
                }
            }
        }

        Assert.That(compared, Is.GreaterThan(50));
        Assert.That(differences, Is.Empty, string.Join('\n', differences.Take(30)));
    }

    /// <summary>The rules readelf must print for a row, spelled as readelf spells them, from the row and the image's pt_regs offsets.</summary>
    private static IEnumerable<string> ExpectedRules(KernelImage image, OrcEntry row)
    {
        long Field(string name) => image.Constant(name);
        string At(long offset) => row.SpReg switch
        {
            OrcRegister.Sp => $"DW_OP_breg7 (rsp): {row.SpOffset + offset}",
            OrcRegister.Bp => $"DW_OP_breg6 (rbp): {row.SpOffset + offset}",
            OrcRegister.SpIndirect => $"DW_OP_breg7 (rsp): 0; DW_OP_deref" + Plus(row.SpOffset + offset),
            _ => throw new AssertionException($"no expected form for base {row.SpReg}"),
        };

        if (row.SpReg == OrcRegister.Undefined)
        {
            yield return "DW_CFA_undefined: r16 (rip)";
            yield break;
        }

        switch (row.Type)
        {
            case OrcType.Call when row.SpReg == OrcRegister.Sp:
                yield return $"DW_CFA_def_cfa: r7 (rsp) ofs {row.SpOffset}";
                break;
            case OrcType.Call when row.SpReg == OrcRegister.Bp:
                yield return $"DW_CFA_def_cfa: r6 (rbp) ofs {row.SpOffset}";
                break;
            case OrcType.Regs:
                yield return $"DW_CFA_def_cfa_expression ({At(Field("RSP"))}; DW_OP_deref)";
                yield return $"DW_CFA_expression: r16 (rip) ({At(Field("RIP"))})";
                if (row.SpReg != OrcRegister.Sp || row.SpOffset + Field("RBP") >= 0)
                {
                    yield return $"DW_CFA_expression: r6 (rbp) ({At(Field("RBP"))})";
                }

                break;
            case OrcType.RegsPartial:
                yield return $"DW_CFA_def_cfa_expression ({At(Field("RSP") - Field("RIP"))}; DW_OP_deref)";
                yield return $"DW_CFA_expression: r16 (rip) ({At(0)})";
                break;
            default:
                throw new AssertionException($"no expected rules for {row}");
        }

        if (row.BpReg == OrcRegister.PrevSp)
        {
            yield return row.BpOffset < 0 ? $"DW_CFA_offset: r6 (rbp) at cfa{row.BpOffset}" : $"DW_CFA_offset_extended_sf: r6 (rbp) at cfa+{row.BpOffset}";
        }

        if (row.End)
        {
            yield return "DW_CFA_undefined: r16 (rip)";
        }
    }

    private static string Plus(long offset) => offset switch
    {
        > 0 => $"; DW_OP_plus_uconst: {offset}",
        < 0 => $"; DW_OP_consts: {offset}; DW_OP_plus",
        _ => string.Empty,
    };

    /// <summary>readelf's FDEs by start address, each with its CIE's augmentation and its instructions' lines.</summary>
    private static Dictionary<ulong, (string Augmentation, HashSet<string> Rules)> Fdes(string frames)
    {
        var augmentations = new Dictionary<string, string>(StringComparer.Ordinal);
        string? cie = null;
        foreach (string line in frames.Split('\n'))
        {
            var header = CieHeader().Match(line);
            if (header.Success)
            {
                cie = header.Groups["offset"].Value;
            }
            else if (cie is not null && AugmentationRow().Match(line) is { Success: true } augmentation)
            {
                augmentations[cie] = augmentation.Groups["value"].Value;
                cie = null;
            }
        }

        var result = new Dictionary<ulong, (string, HashSet<string>)>();
        HashSet<string>? current = null;
        foreach (string line in frames.Split('\n'))
        {
            var fde = FdeHeader().Match(line);
            if (fde.Success)
            {
                current = [];
                result.Add(Hex(fde.Groups["start"].Value), (augmentations[fde.Groups["cie"].Value], current));
            }
            else if (line.StartsWith("  DW_CFA_", StringComparison.Ordinal) && current is not null)
            {
                current.Add(line.Trim());
            }
            else if (line.Length == 0)
            {
                current = null;
            }
        }

        return result;
    }

    /// <summary>readelf's rule table: each FDE's first row (one FDE per ORC row), with the CFA and return address columns.</summary>
    private static List<(ulong Start, ulong End, string Cfa, string Ra)> RuleTable(string interp)
    {
        var result = new List<(ulong, ulong, string, string)>();
        var lines = interp.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            var fde = FdeHeader().Match(lines[i]);
            if (!fde.Success || i + 2 >= lines.Length)
            {
                continue;
            }

            var columns = lines[i + 1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var values = lines[i + 2].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            int ra = Array.IndexOf(columns, "ra");
            result.Add((Hex(fde.Groups["start"].Value), Hex(fde.Groups["end"].Value), values[1], ra < 0 ? "none" : values[ra]));
        }

        return result;
    }

    private static ulong Hex(string text) => ulong.Parse(text, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^[0-9a-f]+ [0-9a-f]+ [0-9a-f]+ FDE cie=(?<cie>[0-9a-f]+) pc=(?<start>[0-9a-f]+)\.\.(?<end>[0-9a-f]+)")]
    private static partial Regex FdeHeader();

    [GeneratedRegex(@"^(?<offset>[0-9a-f]+) [0-9a-f]+ [0-9a-f]+ CIE\s*$")]
    private static partial Regex CieHeader();

    [GeneratedRegex(@"^\s+Augmentation:\s+""(?<value>[^""]*)""")]
    private static partial Regex AugmentationRow();
}
