using EntryModel.Oracles.Kernel;
using System.Globalization;
using System.Text;
using EntryModel.Generators.Encoding;
using EntryModel.Generators.Model;
using EntryModel.Generators.Syntax;
using EntryModel.Oracles.Tests.GnuAs;

namespace EntryModel.Oracles.Tests.Kernel;

/// <summary>
/// Oracle: GNU as (read back with ELFSharp), on the Linux kernel's own x86 entry and lib assembly
/// (<see cref="KernelCorpus"/>). Each file is assembled whole, as one declaration, into a
/// relocatable object (<see cref="RelocatableObject"/>). It counts as equal when the generator
/// reports nothing and the object equals GNU as's: every section's bytes, size, alignment and
/// permissions; every relocation's offset, type, symbol (a section's for local targets) and
/// addend; every symbol's section, value, size, type and binding. The test prints N of M files
/// equal and each file's first difference; the target is all of them, and the count may not fall
/// below the floor this test last reached.
/// </summary>
[TestFixture]
public sealed class KernelCorpusGnuAsTests
{
    // Raised as the generator learns; never lowered.
    private const int EqualFloor = 42;

    [Test]
    public void Kernel_entry_and_lib_files_assemble_as_gnu_as_assembles_them()
    {
        int equal = 0, total = 0;
        var report = new StringBuilder();
        string dir = Directory.CreateTempSubdirectory("entrymodel-kernel-").FullName;
        try
        {
            foreach (var configuration in KernelCorpus.Configurations)
            {
                foreach (var (kernelPath, file) in KernelCorpus.Files(configuration))
                {
                    total++;
                    string o = Path.Combine(dir, $"{total}.o");
                    GnuAssembler.AssembleObject(file, o);
                    string verdict = Compare(File.ReadAllText(file), o);
                    if (verdict.Length == 0)
                    {
                        equal++;
                    }

                    report.AppendLine(CultureInfo.InvariantCulture, $"  {configuration,-13} {kernelPath,-45} {(verdict.Length == 0 ? "equal" : verdict)}");
                }
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }

        var notAttempted = KernelCorpus.Configurations.SelectMany(c => KernelCorpus.NotAttempted(c).Select(f => $"{c}:{f}")).ToList();
        TestContext.Out.WriteLine($"{equal} of {total} 64-bit kernel files equal to GNU as; not attempted: {notAttempted.Count} 32-bit vDSO files ({string.Join(", ", notAttempted)})");
        TestContext.Out.WriteLine(report.ToString());
        Assert.That(equal, Is.GreaterThanOrEqualTo(EqualFloor), $"{equal} of {total} kernel files equal to GNU as, fewer than before:\n{report}");
    }

    /// <summary>Empty when the generator's object equals GNU as's; otherwise the first difference.</summary>
    private static string Compare(string text, string gasObject)
    {
        var gas = ElfObject.Read(gasObject);
        var assembly = GasAssembler.AssembleFile(text);
        var obj = assembly.Object;
        var diagnostics = assembly.Diagnostics.ToList();
        if (diagnostics.Count > 0)
        {
            var d = diagnostics[0];
            return $"{diagnostics.Count} diagnostics, first {d.Id} {d.Message} at line {LineOf(text, d.Offset)}";
        }

        var elf = RelocatableObject.From(obj);
        var ours = elf.Sections.ToDictionary(x => x.Name, StringComparer.Ordinal);
        foreach (var name in ours.Keys.Union(gas.Keys).Order(StringComparer.Ordinal))
        {
            bool haveOurs = ours.TryGetValue(name, out var mine);
            bool haveGas = gas.TryGetValue(name, out var theirs);
            int ourLength = haveOurs ? mine!.Bytes.Length : 0;
            int gasLength = haveGas ? theirs!.Bytes.Length : 0;
            if (ourLength == 0 && gasLength == 0)
            {
                continue;
            }

            if (ourLength != gasLength)
            {
                return $"{name}: {ourLength} bytes, as {gasLength}";
            }

            if (haveOurs && haveGas && (Math.Max(1, mine!.Align) != Math.Max(1, theirs!.Align) || ((mine.Permissions & 2) != 0) != theirs.Executable || ((mine.Permissions & 1) != 0) != theirs.Writable))
            {
                return $"{name}: alignment {mine.Align}, permissions {mine.Permissions}; as {theirs.Align}, {(theirs.Executable ? "x" : string.Empty)}{(theirs.Writable ? "w" : string.Empty)}";
            }

            if (!theirs!.NoBits)
            {
                int first = Enumerable.Range(0, ourLength).FirstOrDefault(k => mine!.Bytes[k] != theirs.Bytes[k], -1);
                if (first >= 0)
                {
                    var fragment = obj.Fragments.First(f => f.Section == name);
                    var line = fragment.Lines.LastOrDefault(l => l.Offset <= first);
                    return $"{name}+0x{first:x}: ours {Convert.ToHexString(mine!.Bytes.AsSpan(first, Math.Min(8, ourLength - first)))}, as {Convert.ToHexString(theirs.Bytes.AsSpan(first, Math.Min(8, gasLength - first)))} ('{line?.Text}')";
                }
            }

            var ourRelocations = (haveOurs ? mine!.Relocations : []).Select(r => $"0x{r.Offset:x} type {r.Type} {r.Symbol}{r.Addend:+0;-0}").ToList();
            var gasRelocations = theirs.Relocations.OrderBy(r => r.Offset).Select(r => $"0x{r.Offset:x} type {r.Type} {r.Symbol}{r.Addend:+0;-0}").ToList();
            int differ = Enumerable.Range(0, Math.Max(ourRelocations.Count, gasRelocations.Count))
                .FirstOrDefault(k => k >= ourRelocations.Count || k >= gasRelocations.Count || ourRelocations[k] != gasRelocations[k], -1);
            if (differ >= 0)
            {
                return $"{name}: relocation {differ} ours {(differ < ourRelocations.Count ? ourRelocations[differ] : "none")}, as {(differ < gasRelocations.Count ? gasRelocations[differ] : "none")} ({ourRelocations.Count} vs {gasRelocations.Count})";
            }
        }

        var ourSymbols = elf.Symbols.Select(x => $"{x.Name} {x.Section ?? "UND"}+0x{x.Value:x} size {x.Size} type {x.Type} bind {(int)x.Binding}").ToHashSet(StringComparer.Ordinal);
        var gasSymbols = ElfObject.Symbols(gasObject).Select(x => $"{x.Name} {x.Section ?? "UND"}+0x{x.Value:x} size {x.Size} type {x.Type} bind {x.Binding}").ToHashSet(StringComparer.Ordinal);
        if (!ourSymbols.SetEquals(gasSymbols))
        {
            var onlyGas = gasSymbols.Except(ourSymbols).Order(StringComparer.Ordinal).Take(3);
            var onlyOurs = ourSymbols.Except(gasSymbols).Order(StringComparer.Ordinal).Take(3);
            return $"symbols differ: as only [{string.Join("; ", onlyGas)}], ours only [{string.Join("; ", onlyOurs)}] ({ourSymbols.Count} vs {gasSymbols.Count})";
        }

        return string.Empty;
    }

    private static int LineOf(string text, int offset)
    {
        int line = 1;
        for (int i = 0; i < offset && i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                line++;
            }
        }

        return line;
    }
}
