using System.Globalization;
using EntryModel.Generators.Encoding;
using EntryModel.Generators.Public;
using EntryModel.Oracles.Tests.Kernel;

namespace EntryModel.Oracles.Tests.GnuAs;

/// <summary>
/// The generator's object of a text against GNU as's (read back with ELFSharp): equal when the
/// generator reports nothing and every section's bytes, size, alignment and permissions, every
/// relocation's offset, type, symbol (a section's for local targets) and addend, and every
/// symbol's section, value, size, type and binding are GNU as's.
/// </summary>
internal static class ObjectComparison
{
    /// <summary>
    /// Assembles <paramref name="source"/> with GNU as (<c>--64</c> or <c>--32</c>) and with the
    /// generator: the first difference (empty when equal) and GNU as's sections.
    /// </summary>
    public static (string Difference, Dictionary<string, ElfSection> Gas) OfText(string source, ObjectFileMachine machine)
    {
        string dir = Directory.CreateTempSubdirectory("entrymodel-gas-object-").FullName;
        try
        {
            string s = Path.Combine(dir, "in.s"), o = Path.Combine(dir, "in.o");
            File.WriteAllText(s, source);
            GnuAssembler.AssembleObject(s, o, machine);
            return (FirstDifference(source, o, machine), ElfObject.Read(o));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Empty when the generator's object equals GNU as's; otherwise the first difference.</summary>
    public static string FirstDifference(string text, string gasObject, ObjectFileMachine machine)
    {
        var gas = ElfObject.Read(gasObject);
        var assembly = GasAssembler.AssembleFile(text, machine: machine);
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

            // A REL addend is the field's bytes (compared above): read back as GNU as's is read.
            var ourRelocations = (haveOurs ? mine!.Relocations : []).Select(r => $"0x{r.Offset:x} type {r.Type} {r.Symbol}{(machine == ObjectFileMachine.I386 ? ElfObject.ImplicitAddend(mine!.Bytes, (int)r.Offset, (uint)r.Type) : r.Addend):+0;-0}").ToList();
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
