using EntryModel.Oracles.Kernel;
using System.Globalization;
using System.Text;
using EntryModel.Export;
using EntryModel.Generators.Public;
using EntryModel.Oracles.Tests.GnuAs;
using EntryModel.Oracles.Tests.Kernel;

namespace EntryModel.Oracles.Tests.Export;

/// <summary>
/// Oracle: GNU binutils, on the kernel corpus (<see cref="KernelCorpus"/>). Every file of both
/// configurations (the -m32 ones as <c>as --32</c>, into ELF32 i386 objects) is assembled by GNU as and by <see cref="GasObjectApi"/> +
/// <see cref="ElfObjectWriter"/>; the two objects must say the same to readelf (headers, sections,
/// symbols and relocations, as <see cref="ReadelfView"/> normalizes them) and disassemble the same
/// with objdump -d -r. The test prints N of M objects equal and each file's first difference.
/// </summary>
[TestFixture]
public sealed class ElfObjectWriterTests
{
    [Test]
    public void Kernel_objects_written_through_LibObjectFile_equal_gnu_as_objects()
    {
        int equal = 0, total = 0;
        var report = new StringBuilder();
        string dir = Directory.CreateTempSubdirectory("entrymodel-export-").FullName;
        try
        {
            foreach (var configuration in KernelCorpus.Configurations)
            {
                foreach (var (kernelPath, file, m32) in KernelCorpus.Objects(configuration))
                {
                    total++;
                    string gas = Path.Combine(dir, $"{total}.gas.o"), ours = Path.Combine(dir, $"{total}.ours.o");
                    var machine = m32 ? ObjectFileMachine.I386 : ObjectFileMachine.Amd64;
                    GnuAssembler.AssembleObject(file, gas, machine);
                    string verdict = Compare(file, gas, ours, machine);
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

        TestContext.Out.WriteLine($"{equal} of {total} objects equal");
        TestContext.Out.WriteLine(report.ToString());
        Assert.That(total, Is.GreaterThan(0), "the corpus has no files");
        Assert.That(equal, Is.EqualTo(total), $"{equal} of {total} objects equal:\n{report}");
    }

    /// <summary>
    /// A <c>.section</c> directive's own type and entry size decide the section header, as in GNU
    /// as: mergeable constants of 8 bytes, a NOBITS and a NOTE section under names that say nothing.
    /// </summary>
    [Test]
    public void Section_types_and_entry_sizes_given_by_the_directive_equal_gnu_as()
    {
        const string Source = """
            .section .rodata.cst8, "aM", @progbits, 8
            .quad 1, 2
            .section .scratch, "aw", @nobits
            .skip 64
            .section .tag, "a", @note
            .long 4, 0, 1
            .section .strings, "aMS", %progbits, 1
            .asciz "x"
            .text
            ret
            """;
        AssertEqualToGnuAs(Source, ObjectFileMachine.Amd64, _ => { });
    }

    /// <summary>
    /// Oracle: GNU as (<c>--64</c> and <c>--32</c>). The pointer arrays GNU as knows by name hold
    /// entries of a pointer's size: 8 bytes in an x86-64 object, 4 in an i386 one.
    /// </summary>
    [TestCase(ObjectFileMachine.Amd64)]
    [TestCase(ObjectFileMachine.I386)]
    public void Pointer_arrays_named_as_gnu_as_knows_them_have_entries_of_a_pointers_size(ObjectFileMachine machine)
    {
        const string Source = """
            .section .init_array, "aw"
            .long 0
            .section .fini_array.5, "aw"
            .long 0
            .section .preinit_array, "aw"
            .long 0
            .text
            ret
            """;
        AssertEqualToGnuAs(Source, machine, ours =>
            Assert.That(Binutils.Run("readelf", "-SW", ours), Does.Contain(machine == ObjectFileMachine.I386 ? " 000004 04  WA" : " 000004 08  WA")));
    }

    /// <summary><paramref name="text"/> assembled by GNU as and written by us equal to readelf and objdump; then <paramref name="also"/> on our object.</summary>
    private static void AssertEqualToGnuAs(string text, ObjectFileMachine machine, Action<string> also)
    {
        string dir = Directory.CreateTempSubdirectory("entrymodel-export-").FullName;
        try
        {
            string source = Path.Combine(dir, "in.s"), gas = Path.Combine(dir, "gas.o"), ours = Path.Combine(dir, "ours.o");
            File.WriteAllText(source, text);
            GnuAssembler.AssembleObject(source, gas, machine);
            Assert.That(Compare(source, gas, ours, machine), Is.Empty);
            also(ours);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Empty when our object equals GNU as's to readelf and objdump; otherwise the first difference.</summary>
    private static string Compare(string source, string gasObject, string ourObject, ObjectFileMachine machine = ObjectFileMachine.Amd64)
    {
        var assembled = GasObjectApi.Assemble(File.ReadAllText(source), source, machine);
        if (assembled.HasErrors)
        {
            return $"{assembled.Diagnostics.Count} diagnostics, first {assembled.Diagnostics[0]}";
        }

        ElfObjectWriter.WriteFile(assembled, ourObject);
        string readelf = FirstDifference(ReadelfView.Of(gasObject), ReadelfView.Of(ourObject));
        if (readelf.Length > 0)
        {
            return "readelf: " + readelf;
        }

        string objdump = FirstDifference(Disassembly(gasObject), Disassembly(ourObject));
        return objdump.Length > 0 ? "objdump: " + objdump : string.Empty;
    }

    /// <summary><c>objdump -d -r</c> without the line that names the file.</summary>
    private static List<string> Disassembly(string objectFile) =>
        Binutils.Run("objdump", "-d", "-r", objectFile).Split('\n').Where(l => !l.Contains("file format", StringComparison.Ordinal)).ToList();

    private static string FirstDifference(List<string> gas, List<string> ours)
    {
        for (int i = 0; i < Math.Max(gas.Count, ours.Count); i++)
        {
            string theirs = i < gas.Count ? gas[i] : "(nothing)", mine = i < ours.Count ? ours[i] : "(nothing)";
            if (theirs != mine)
            {
                return $"line {i + 1}: as '{theirs.Trim()}', ours '{mine.Trim()}' ({gas.Count} vs {ours.Count} lines)";
            }
        }

        return string.Empty;
    }
}
