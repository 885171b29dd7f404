using System.Globalization;
using System.Text.RegularExpressions;
using ELFSharp.ELF;
using ELFSharp.ELF.Segments;
using EntryModel.Export.Core;
using EntryModel.Machine.Cpu;
using EntryModel.Machine.Memory;
using EntryModel.Oracles.Tests.Export.Images;
using EntryModel.Scenarios.Catalog;
using EntryModel.Scenarios.Running;

namespace EntryModel.Oracles.Tests.Export.Cores;

/// <summary>
/// Oracles: readelf, gdb and ELFSharp on a core file of the machine stopped at dump_stack in the seed
/// scenario. readelf reads an x86-64 ET_CORE whose NT_PRSTATUS note is Linux's and whose PT_LOAD
/// segments are the machine's mapped pages, adjacent pages of one permission joined; gdb's
/// <c>info registers</c> gives the stopped CPU's registers; ELFSharp reads back every segment's bytes
/// as the machine's memory holds them.
/// </summary>
[TestFixture]
public sealed partial class CoreFileTests
{
    private string dir = null!;

    [OneTimeSetUp]
    public void MakeDirectory() => dir = Directory.CreateTempSubdirectory("entrymodel-corefiles-").FullName;

    [OneTimeTearDown]
    public void DeleteDirectory() => Directory.Delete(dir, recursive: true);

    [TestCaseSource(typeof(ExportedImages), nameof(ExportedImages.Strategies))]
    public void Readelf_reads_a_linux_core_whose_loads_are_the_machines_mapped_pages(string strategy)
    {
        var (session, _, core) = CoreAtDumpStack(strategy);
        string header = Binutils.Run("readelf", "-h", "-W", core);
        string notes = Binutils.Run("readelf", "-n", "-W", core);
        var loads = LoadRow().Matches(Binutils.Run("readelf", "-l", "-W", core))
            .Select(m => (Hex(m.Groups["vaddr"].Value), Hex(m.Groups["filesz"].Value), Hex(m.Groups["memsz"].Value), m.Groups["flags"].Value.Replace(" ", string.Empty, StringComparison.Ordinal)))
            .ToList();

        Assert.That(header, Does.Match(@"Type:\s+CORE \(Core file\)").And.Match(@"Machine:\s+Advanced Micro Devices X86-64"));
        Assert.That(notes, Does.Match(@"CORE\s+0x00000150\s+NT_PRSTATUS"), "one 336-byte elf_prstatus");
        Assert.That(loads, Is.EqualTo(Runs(session.Machine.Memory)));
    }

    [TestCaseSource(typeof(ExportedImages), nameof(ExportedImages.Strategies))]
    public void Gdb_reads_the_stopped_registers_from_nt_prstatus(string strategy)
    {
        var (_, stop, core) = CoreAtDumpStack(strategy);
        var cpu = stop.Cpu;
        // The bases are not in gdb's general group: asked for by name.
        string output = Binutils.Run("gdb", "-batch", "-nx", "-ex", "info registers", "-ex", "info registers fs_base gs_base", ExportedImages.PathOf(strategy), core);
        var registers = RegisterRow().Matches(output).ToDictionary(m => m.Groups["name"].Value, m => Hex(m.Groups["value"].Value), StringComparer.Ordinal);

        var expected = new Dictionary<string, ulong>(StringComparer.Ordinal)
        {
            ["rax"] = cpu[Gpr.Rax], ["rbx"] = cpu[Gpr.Rbx], ["rcx"] = cpu[Gpr.Rcx], ["rdx"] = cpu[Gpr.Rdx],
            ["rsi"] = cpu[Gpr.Rsi], ["rdi"] = cpu[Gpr.Rdi], ["rbp"] = cpu[Gpr.Rbp], ["rsp"] = cpu[Gpr.Rsp],
            ["r8"] = cpu[Gpr.R8], ["r9"] = cpu[Gpr.R9], ["r10"] = cpu[Gpr.R10], ["r11"] = cpu[Gpr.R11],
            ["r12"] = cpu[Gpr.R12], ["r13"] = cpu[Gpr.R13], ["r14"] = cpu[Gpr.R14], ["r15"] = cpu[Gpr.R15],
            ["rip"] = cpu.Rip, ["eflags"] = cpu.Rflags, ["cs"] = cpu.Cs, ["ss"] = cpu.Ss,
            ["fs_base"] = cpu.FsBase, ["gs_base"] = cpu.GsBase,
        };
        Assert.That(expected.Where(r => !registers.TryGetValue(r.Key, out ulong value) || value != r.Value).Select(r => $"{r.Key}: cpu 0x{r.Value:x}, gdb {(registers.TryGetValue(r.Key, out ulong v) ? $"0x{v:x}" : "none")}"), Is.Empty);
    }

    [TestCaseSource(typeof(ExportedImages), nameof(ExportedImages.Strategies))]
    public void Elfsharp_reads_back_every_segment_as_the_machines_memory(string strategy)
    {
        var (session, _, core) = CoreAtDumpStack(strategy);
        using var elf = ELFReader.Load<ulong>(core);
        var loads = elf.Segments.Where(s => s.Type == SegmentType.Load).ToList();

        Assert.That(elf.Type, Is.EqualTo(FileType.Core));
        Assert.That(loads.Sum(s => (long)s.Size), Is.EqualTo((long)session.Machine.Memory.MappedPages * GuestMemory.PageSize));
        foreach (var segment in loads)
        {
            Assert.That(segment.GetFileContents(), Is.EqualTo(session.Machine.Memory.Read(segment.Address, (int)segment.Size)), $"segment at 0x{segment.Address:x}");
        }
    }

    /// <summary>The machine's mapped pages as readelf lists PT_LOADs: runs of adjacent pages with one permission, R plus W and E.</summary>
    private static List<(ulong, ulong, ulong, string)> Runs(GuestMemory memory)
    {
        var runs = new List<(ulong Start, ulong Size, PagePermissions Permissions)>();
        foreach (var (address, permissions) in memory.EnumerateMappedPages())
        {
            if (runs.Count > 0 && runs[^1].Start + runs[^1].Size == address && runs[^1].Permissions == permissions)
            {
                runs[^1] = (runs[^1].Start, runs[^1].Size + GuestMemory.PageSize, permissions);
            }
            else
            {
                runs.Add((address, GuestMemory.PageSize, permissions));
            }
        }

        return [.. runs.Select(r => (r.Start, r.Size, r.Size, "R" + (r.Permissions.HasFlag(PagePermissions.Writable) ? "W" : string.Empty) + (r.Permissions.HasFlag(PagePermissions.Executable) ? "E" : string.Empty)))];
    }

    private (ScenarioSession Session, CorePointStop Stop, string Core) CoreAtDumpStack(string strategy)
    {
        Assert.That(ScenarioCatalog.TryGet("read-page-fault", out var scenario), Is.True);
        var session = scenario!.Prepare(ExportedImages.Image(strategy));
        var stop = CorePoint.RunTo(session, "dump_stack", out string? failure) ?? throw new AssertionException(failure ?? "no stop");
        string core = Path.Combine(dir, strategy + ".core");
        ElfCoreWriter.WriteFile(MachineCore.Of(session.Machine, stop.Cpu), core);
        return (session, stop, core);
    }

    private static ulong Hex(string text) => ulong.Parse(text, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^\s*LOAD\s+0x[0-9a-f]+\s+0x(?<vaddr>[0-9a-f]+)\s+0x[0-9a-f]+\s+0x(?<filesz>[0-9a-f]+)\s+0x(?<memsz>[0-9a-f]+)\s+(?<flags>[RWE ]{3})\s+0x[0-9a-f]+\s*$", RegexOptions.Multiline)]
    private static partial Regex LoadRow();

    [GeneratedRegex(@"^(?<name>[a-z0-9_]+)\s+0x(?<value>[0-9a-f]+)\s", RegexOptions.Multiline)]
    private static partial Regex RegisterRow();
}
