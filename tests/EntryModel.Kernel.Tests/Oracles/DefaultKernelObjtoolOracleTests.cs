using System.Globalization;
using EntryModel.Kernel;
using EntryModel.Oracles.Tests.Objtool;

namespace EntryModel.Kernel.Tests.Oracles;

/// <summary>
/// The default model's own validation against objtool, under every strategy: GNU as assembles the
/// model (each declaration its own section, functions typed and sized), objtool checks the object
/// with kbuild's flags for the strategy (<c>--stackval</c> with frame pointers, <c>--orc</c> for
/// the ORC strategy), and the generator's findings carried in the image must be the same, placed
/// the same way. Under ORC, the row objtool writes for every instruction of every declaration must
/// be the row the image's table gives there. Oracle: objtool.
/// </summary>
public class DefaultKernelObjtoolOracleTests
{
    private static IEnumerable<string> Strategies() => KernelModelText.Strategies.Select(s => s.Name);

    [TestCaseSource(nameof(Strategies))]
    public void Validation_findings_match_objtool(string strategy)
    {
        var image = DefaultKernel.GetImage(strategy);
        bool orc = image.Defines.Contains("CONFIG_UNWINDER_ORC");
        var build = GnuAsKernelBuild.Of(strategy);
        // The user program is in the object too, but it is not kernel code: the generator does not validate it.
        var user = KernelModelText.Declarations.Select((d, i) => (d, i)).Where(x => x.d.Attribute.Section.StartsWith(".user", StringComparison.Ordinal))
            .SelectMany(x => new[] { x.d.Name, $"{x.d.Attribute.Section}.{x.i}" }).ToHashSet();
        var expected = Objtool.CheckObject(build.Object, orc).Warnings
            .Where(w => !user.Contains(w.Function))
            .Select(w => $"{w.Function}+0x{w.Offset:x}: {w.Message}").Order().ToList();
        var actual = image.Validation.Select(f => $"{Place(image, f.Address)}: {f.Message}").Order().ToList();

        Assert.That(actual, Is.EqualTo(expected), "objtool:\n" + string.Join("\n", expected) + "\nimage:\n" + string.Join("\n", actual));
    }

    [Test]
    public void Orc_rows_in_force_at_every_instruction_match_objtool()
    {
        var image = DefaultKernel.GetImage("orc");
        Assert.That(image.Orc, Is.Not.Null, "the orc strategy's image carries ORC tables");
        var build = GnuAsKernelBuild.Of("orc");
        var rows = Objtool.CheckObject(build.Object, orc: true).Rows;
        var bySection = rows.GroupBy(r => r.Section).ToDictionary(g => g.Key, g => g.OrderBy(r => r.Offset).ToList());

        int compared = 0;
        var differences = new List<string>();
        var decls = KernelModelText.Declarations;
        for (int i = 0; i < decls.Count; i++)
        {
            var a = decls[i].Attribute;
            if (a.Kind == SymbolKind.Data || a.Section.StartsWith(".user", StringComparison.Ordinal) || !build.Symbols.TryGetValue(a.Name, out ulong start))
            {
                continue;
            }

            string section = $"{a.Section}.{i}";
            var sectionRows = bySection.GetValueOrDefault(section) ?? [];
            // Up to the next declaration (padding after a section's end gets objtool's terminator: undefined).
            ulong end = decls.Select(d => build.Symbols.GetValueOrDefault(d.Name)).Where(x => x > start).DefaultIfEmpty(ulong.MaxValue).Min();
            foreach (var insn in build.Instructions.Where(x => x.Address >= start && x.Address < end))
            {
                long offset = (long)(insn.Address - start);
                string expected = sectionRows.LastOrDefault(r => r.Offset <= offset)?.Row ?? OrcEntry.Undefined.ToString();
                string actual = image.Orc!.TryFind(insn.Address, out var entry) ? entry.ToString() : OrcEntry.Undefined.ToString();
                compared++;
                if (expected != actual)
                {
                    differences.Add(string.Create(CultureInfo.InvariantCulture, $"{a.Name}+0x{offset:x} ({insn.Text}): objtool {expected}, image {actual}"));
                }
            }
        }

        Assert.That(compared, Is.GreaterThan(1000), "every instruction of the model's kernel text");
        Assert.That(differences, Is.Empty, string.Join('\n', differences.Take(20)));
    }

    /// <summary>Where objtool names a place in the object: a function and offset, else the declaration's section and offset.</summary>
    private static string Place(KernelImage image, ulong address)
    {
        var functions = image.Symbols.All.Where(s => s.Kind == SymbolKind.Function && address >= s.Address && address < s.Address + s.Size).ToList();
        if (functions.Count > 0)
        {
            return $"{functions[0].Name}+0x{address - functions[0].Address:x}";
        }

        var decls = KernelModelText.Declarations;
        var owners = Enumerable.Range(0, decls.Count)
            .SelectMany(i => image.Symbols.All.Where(s => s.Name == decls[i].Name && s.Address <= address).Select(s => (Index: i, s.Address)))
            .ToList();
        if (owners.Count == 0)
        {
            return $"0x{address:x}";
        }

        var owner = owners.MaxBy(x => x.Address);
        return $"{decls[owner.Index].Attribute.Section}.{owner.Index}+0x{address - owner.Address:x}";
    }
}
