using EntryModel.Oracles.Kernel;
using System.Diagnostics;
using System.Text;
using EntryModel.Generators.Diagnostics;
using EntryModel.Generators.Encoding;
using EntryModel.Generators.Model;
using EntryModel.Generators.Public;
using EntryModel.Generators.Syntax;

namespace EntryModel.Oracles.Tests.Kernel;

/// <summary>
/// Mutation fuzzing seeded by the kernel corpus (<see cref="KernelCorpus"/>): the kernel's own
/// entry and lib files, cut, spliced and corrupted line by line and character by character, go
/// through the assembler core (as kbuild assembles the file that leads the mutant: the -m32 ones
/// as 32-bit code). Nothing may throw or report an internal error, every diagnostic
/// names a span inside the text, and each input stays bounded in CPU time and allocation. The
/// seeds are real code, so mutations reach deep into macros, alternatives and relaxation, where
/// the hand-written fuzz inputs do not.
/// </summary>
[TestFixture]
public sealed class KernelCorpusFuzzTests
{
    private const int Mutants = 1500;
    private static readonly TimeSpan CpuBound = TimeSpan.FromSeconds(5);
    private const long AllocationBound = 1L << 30;

    [Test]
    public void Mutated_kernel_files_never_throw_and_stay_bounded()
    {
        var seeds = KernelCorpus.Configurations.SelectMany(KernelCorpus.Objects)
            .Select(f => (Lines: File.ReadAllLines(f.File), Machine: f.M32 ? ObjectFileMachine.I386 : ObjectFileMachine.Amd64))
            .ToList();
        Assert.That(seeds, Has.Count.GreaterThan(10), "the corpus seeds the fuzzer");
        var failures = new List<string>();
        long worstCpu = 0, worstAllocated = 0;
        for (int seed = 0; seed < Mutants; seed++)
        {
            var random = new Random(seed);
            var first = seeds[random.Next(seeds.Count)];
            string text = Mutate(first.Lines, seeds[random.Next(seeds.Count)].Lines, random);
            var process = Process.GetCurrentProcess();
            var cpuBefore = process.TotalProcessorTime;
            long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                var assembly = GasAssembler.AssembleFile(text, machine: first.Machine);
                if (!assembly.Diagnostics.Any())
                {
                    // What assembles becomes an ELF view without a problem too.
                    RelocatableObject.From(assembly.Object);
                }

                foreach (var d in assembly.Diagnostics)
                {
                    if (d.Id == DiagnosticIds.InternalError || d.Offset < 0 || d.Length < 0 || d.Offset + d.Length > text.Length)
                    {
                        failures.Add($"mutant {seed}: {d.Id} {d.Message} at {d.Offset}+{d.Length} of {text.Length}");
                        break;
                    }
                }
            }
            catch (Exception ex)
            {
                failures.Add($"mutant {seed} threw {ex.GetType().Name}: {ex.Message}\n{ex.StackTrace}");
            }

            process.Refresh();
            long cpu = (long)(process.TotalProcessorTime - cpuBefore).TotalMilliseconds;
            long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
            worstCpu = Math.Max(worstCpu, cpu);
            worstAllocated = Math.Max(worstAllocated, allocated);
            if (cpu > CpuBound.TotalMilliseconds || allocated > AllocationBound)
            {
                failures.Add($"mutant {seed}: {cpu} ms CPU, {allocated >> 20} MiB allocated");
            }
        }

        TestContext.Out.WriteLine($"{Mutants} mutants of {seeds.Count} kernel files; worst {worstCpu} ms CPU, {worstAllocated >> 20} MiB allocated");
        Assert.That(failures, Is.Empty, string.Join("\n", failures.Take(10)));
    }

    /// <summary>A kernel file cut, spliced with another, with lines dropped, repeated, swapped and corrupted.</summary>
    private static string Mutate(string[] first, string[] second, Random random)
    {
        var lines = new List<string>(first);
        int operations = random.Next(1, 12);
        for (int op = 0; op < operations && lines.Count > 0; op++)
        {
            int at = random.Next(lines.Count);
            switch (random.Next(8))
            {
                case 0:
                    lines.RemoveRange(at, Math.Min(random.Next(1, 50), lines.Count - at));
                    break;
                case 1:
                    lines.InsertRange(at, Enumerable.Repeat(lines[at], random.Next(1, 4)));
                    break;
                case 2:
                    int from = random.Next(second.Length);
                    lines.InsertRange(at, second.Skip(from).Take(random.Next(1, 80)));
                    break;
                case 3:
                    int other = random.Next(lines.Count);
                    (lines[at], lines[other]) = (lines[other], lines[at]);
                    break;
                case 4:
                    lines[at] = Corrupt(lines[at], random);
                    break;
                case 5:
                    // Cut the file short (an unterminated macro, .if, .rept or string).
                    lines.RemoveRange(at, lines.Count - at);
                    break;
                case 6:
                    lines[at] = lines[at].Replace(",", ", ,", StringComparison.Ordinal).Replace("$", "$-", StringComparison.Ordinal);
                    break;
                default:
                    lines.Insert(at, random.Next(4) switch { 0 => ".endm", 1 => ".endr", 2 => ".popsection", _ => ".endif" });
                    break;
            }
        }

        return string.Join('\n', lines);
    }

    private static string Corrupt(string line, Random random)
    {
        const string Interesting = "%$(),:;.\\#\"'0123456789xX-+*/<>=!~@ \t{}[]";
        var sb = new StringBuilder(line);
        int edits = random.Next(1, 4);
        for (int e = 0; e < edits; e++)
        {
            int at = random.Next(sb.Length + 1);
            char c = Interesting[random.Next(Interesting.Length)];
            if (sb.Length > 0 && random.Next(2) == 0 && at < sb.Length)
            {
                sb[at] = c;
            }
            else
            {
                sb.Insert(at, c);
            }
        }

        return sb.ToString();
    }
}
