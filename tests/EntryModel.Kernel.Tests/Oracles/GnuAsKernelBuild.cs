using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace EntryModel.Kernel.Tests.Oracles;

/// <summary>
/// The default model of one strategy built by GNU as and ld: each declaration in its own input
/// section, fixed ones placed at their address, the others following each other from their
/// section's base in declaration order. Gives the symbols and, per instruction, address and text.
/// </summary>
internal sealed partial class GnuAsKernelBuild
{
    private static readonly Dictionary<string, GnuAsKernelBuild> Cache = [];

    private GnuAsKernelBuild(Dictionary<string, ulong> symbols, List<(ulong Address, int Length, string Text)> instructions, Dictionary<string, int> codeLengths, Dictionary<string, ulong> sectionEnds, IReadOnlyList<ElfSection> sections)
    {
        Sections = sections;
        Symbols = symbols;
        Instructions = instructions;
        CodeLengths = codeLengths;
        SectionEnds = sectionEnds;
    }

    public Dictionary<string, ulong> Symbols { get; }

    /// <summary>The relocatable object GNU as made (each declaration in its own section <c>name.N</c>), before ld.</summary>
    public byte[] Object { get; private init; } = [];

    public List<(ulong Address, int Length, string Text)> Instructions { get; }

    /// <summary>Assembled length of each fixed-address declaration (ld drops empty ones: length 0).</summary>
    public Dictionary<string, int> CodeLengths { get; }

    /// <summary>The linked output sections with their bytes: <c>.oN</c> for the fixed-address declaration N, <c>.run_X</c> for the declarations laid out from section X's base.</summary>
    public IReadOnlyList<ElfSection> Sections { get; }

    /// <summary>End address of each run of declarations laid out from a section's base.</summary>
    public Dictionary<string, ulong> SectionEnds { get; }

    public static GnuAsKernelBuild Build(FrameStrategyAttribute strategy)
    {
        string dir = Directory.CreateTempSubdirectory("entrymodel-gnuas-").FullName;
        try
        {
            var source = new StringBuilder();
            foreach (string macros in KernelModelText.Macros)
            {
                source.AppendLine(macros);
            }

            var script = new StringBuilder("SECTIONS {\n");
            var runs = new Dictionary<string, List<string>>();
            var decls = KernelModelText.Declarations;
            for (int i = 0; i < decls.Count; i++)
            {
                var a = decls[i].Attribute;
                string section = $"{a.Section}.{i}";
                string flags = a.Kind != SymbolKind.Data ? "ax" : a.Section == ".rodata" ? "a" : "aw";
                // Functions are STT_FUNC with their size, as objtool wants them; entry code stays STT_NOTYPE.
                bool function = a.Kind == SymbolKind.Function;
                string type = function ? $".type {a.Name}, @function\n" : string.Empty;
                string size = function ? $"\n.size {a.Name}, .-{a.Name}" : string.Empty;
                source.AppendLine(CultureInfo.InvariantCulture, $".section {section},\"{flags}\",@progbits\n.globl {a.Name}\n{type}{a.Name}:\n{decls[i].ExpandedText}{size}");
                if (a.Address != 0)
                {
                    script.AppendLine(CultureInfo.InvariantCulture, $"  .o{i} 0x{a.Address:x} : {{ *({section}) }}");
                }
                else
                {
                    (runs.TryGetValue(a.Section, out var list) ? list : runs[a.Section] = []).Add(section);
                }
            }

            foreach (var (section, inputs) in runs)
            {
                ulong baseAddress = KernelModelText.Sections.Single(s => s.Name == section).Address;
                script.AppendLine(CultureInfo.InvariantCulture, $"  .run{section.Replace('.', '_')} 0x{baseAddress:x} : {{ {string.Join(' ', inputs.Select(s => $"*({s})"))} }}");
            }

            script.AppendLine("  /DISCARD/ : { *(.note*) }\n}");
            File.WriteAllText(Path.Combine(dir, "k.s"), source.ToString());
            File.WriteAllText(Path.Combine(dir, "k.ld"), script.ToString());

            var asArgs = new List<string> { "--64" };
            foreach (string define in strategy.Defines)
            {
                asArgs.Add("--defsym");
                asArgs.Add(define.Contains('=', StringComparison.Ordinal) ? define : define + "=1");
            }

            asArgs.AddRange(["-o", "k.o", "k.s"]);
            Run(dir, "as", asArgs);
            Run(dir, "ld", ["-o", "k.elf", "-T", "k.ld", "k.o"]);

            var symbols = new Dictionary<string, ulong>();
            foreach (string line in Run(dir, "nm", ["-n", "k.elf"]).Split('\n'))
            {
                string[] p = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (p.Length == 3)
                {
                    symbols[p[2]] = ulong.Parse(p[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                }
            }

            var lengths = new Dictionary<string, int>();
            var ends = new Dictionary<string, ulong>();
            foreach (Match m in SectionHeader().Matches(Run(dir, "objdump", ["-h", "k.elf"])))
            {
                int size = int.Parse(m.Groups["size"].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                ulong vma = ulong.Parse(m.Groups["vma"].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                string name = m.Groups["name"].Value;
                if (name.StartsWith(".o", StringComparison.Ordinal))
                {
                    lengths[decls[int.Parse(name[2..], CultureInfo.InvariantCulture)].Name] = size;
                }
                else if (name.StartsWith(".run", StringComparison.Ordinal))
                {
                    ends[name[4..].Replace('_', '.')] = vma + (ulong)size;
                }
            }

            var instructions = new List<(ulong, int, string)>();
            foreach (Match m in DisassemblyLine().Matches(Run(dir, "objdump", ["-d", "-w", "k.elf"])))
            {
                int length = m.Groups["bytes"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
                instructions.Add((ulong.Parse(m.Groups["addr"].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture), length, m.Groups["text"].Value.Trim()));
            }

            var sections = ElfSections.Read(File.ReadAllBytes(Path.Combine(dir, "k.elf")));
            return new GnuAsKernelBuild(symbols, instructions, lengths, ends, sections) { Object = File.ReadAllBytes(Path.Combine(dir, "k.o")) };
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>The build of <paramref name="strategy"/>, made once per test run.</summary>
    public static GnuAsKernelBuild Of(string strategy)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(strategy, out var build))
            {
                build = Build(KernelModelText.Strategy(strategy));
                Cache[strategy] = build;
            }

            return build;
        }
    }

    /// <summary>Addresses right after every call instruction: where calls return.</summary>
    public HashSet<ulong> ReturnAddresses() =>
        [.. Instructions.Where(i => i.Text.StartsWith("call", StringComparison.Ordinal)).Select(i => i.Address + (ulong)i.Length)];

    private static string Run(string dir, string tool, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo(tool) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {tool}");
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0 || stderr.Result.Length > 0)
        {
            throw new InvalidOperationException($"{tool} failed ({process.ExitCode}): {stderr.Result}");
        }

        return stdout;
    }

    [GeneratedRegex(@"^\s*\d+\s+(?<name>\S+)\s+(?<size>[0-9a-f]+)\s+(?<vma>[0-9a-f]+)\s", RegexOptions.Multiline)]
    private static partial Regex SectionHeader();

    [GeneratedRegex(@"^\s*(?<addr>[0-9a-f]+):\t(?<bytes>(?:[0-9a-f]{2} )+)\s*\t(?<text>[^\n]*)$", RegexOptions.Multiline)]
    private static partial Regex DisassemblyLine();
}
