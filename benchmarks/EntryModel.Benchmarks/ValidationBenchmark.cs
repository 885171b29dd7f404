using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using EntryModel.Generators.Encoding;
using EntryModel.Generators.Validation;

namespace EntryModel.Benchmarks;

/// <summary>
/// Question (issue 13): how long does the generator's stack validation take per 1,000
/// instructions (target: at most 1 ms)? The text: <see cref="Functions"/> functions of the shapes
/// kernel C compiles to (frame, callee-saved pushes, locals, a branch with two returns or a join,
/// a call, an occasional tail call), and one hinted entry stub per 16 functions (iret frame, pt_regs,
/// a handler call, iret), assembled once by the generator's assembler. Measured: the validation job
/// of that text (decode, every path, hints, unreachable check) with and without ORC rows. The
/// <c>Per 1000 insns</c> column divides the mean by the instructions decoded.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Configuration))]
public class ValidationBenchmark
{
    public const int Functions = 2000;

    private ValidationUnit framePointer = null!;
    private ValidationUnit orc = null!;
    private string objtool = string.Empty;
    private string objectFile = string.Empty;

    /// <summary>Instructions in the text (the same in both units).</summary>
    public static int Instructions { get; private set; }

    [GlobalSetup]
    public void Setup()
    {
        framePointer = Unit(ValidationPlanner.FramePointerDefine);
        orc = Unit(ValidationPlanner.OrcDefine);
        var a = FrameValidator.Validate(framePointer);
        var b = FrameValidator.Validate(orc);
        if (a.Findings.Count != 0 || b.Findings.Count != 0 || b.Orc.Count < Functions)
        {
            throw new InvalidOperationException($"the benchmark text must validate cleanly: {string.Join("; ", a.Findings.Concat(b.Findings).Take(3))}; {b.Orc.Count} ORC rows");
        }

        Instructions = a.Instructions;

        // The same text through GNU as, for objtool (built by .ci/run; ENTRYMODEL_OBJTOOL overrides).
        string cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg ? xdg : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        objtool = Environment.GetEnvironmentVariable("ENTRYMODEL_OBJTOOL") is { Length: > 0 } configured ? configured : Path.Combine(cache, "entrymodel", "objtool", "objtool");
        string dir = Directory.CreateTempSubdirectory("entrymodel-validation-bench-").FullName;
        objectFile = Path.Combine(dir, "bench.o");
        File.WriteAllText(Path.Combine(dir, "bench.s"), Text());
        if (Run("as", "--64", "-o", objectFile, Path.Combine(dir, "bench.s")) != 0 || !File.Exists(objtool) || Run(objtool, "--stackval", objectFile) != 0)
        {
            throw new InvalidOperationException($"GNU as and objtool ({objtool}) must be available: run .ci/run once to build objtool");
        }
    }

    /// <summary>objtool 6.1 (native C) checking the same text assembled by GNU as, with <c>--stackval</c>; includes starting the process.</summary>
    [Benchmark]
    public int ObjtoolStackval() => Run(objtool, "--stackval", objectFile);

    private static int Run(string tool, params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = System.Diagnostics.Process.Start(psi)!;
        process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode;
    }

    /// <summary>Frame-pointer rules (objtool --stackval).</summary>
    [Benchmark(Baseline = true)]
    public int FramePointerRules() => FrameValidator.Validate(framePointer).Findings.Count;

    /// <summary>Only the preparation: decoding, functions, jump and call destinations, hints (what every path walk starts from).</summary>
    [Benchmark]
    public int DecodeOnly() => KernelText.Prepare(framePointer).Instructions.Count;

    /// <summary>The ORC configuration: validation plus the ORC rows.</summary>
    [Benchmark]
    public int WithOrcRows() => FrameValidator.Validate(orc).Orc.Count;

    private static ValidationUnit Unit(string define)
    {
        var result = GasAssembler.AssembleText(Text(), 0xffffffff81000000UL, define, define);
        if (result.HasErrors)
        {
            throw new InvalidOperationException("benchmark text does not assemble: " + string.Join("; ", result.Diagnostics.Take(3).Select(d => d.Message)));
        }

        // The test declaration's own symbol would cover the whole text as one function.
        return ValidationPlanner.Plan("bench", 0, result with { Symbols = new(result.Symbols.Items.Where(s => s.Name != "text")) }, out _);
    }

    private static string Text()
    {
        var text = new StringBuilder("""
            .macro HINT type, reg, offset=0
            771:
            .pushsection .discard.unwind_hints
            .long 771b - .
            .short \offset
            .byte \reg
            .byte \type
            .byte 0
            .balign 4
            .popsection
            .endm

            """);
        for (int i = 0; i < Functions; i++)
        {
            string callee = i + 1 < Functions ? $"f{i + 1}" : "f0";
            string body = (i % 4) switch
            {
                0 => $"pushq %rbp\n movq %rsp, %rbp\n pushq %rbx\n pushq %r12\n subq $0x20, %rsp\n movq %rdi, %rbx\n testq %rdi, %rdi\n jz 1f\n movq %rbx, 8(%rsp)\n call {callee}\n addq %rax, %r12\n1:\n movq %r12, %rax\n addq $0x20, %rsp\n popq %r12\n popq %rbx\n popq %rbp\n ret",
                1 => $"pushq %rbp\n movq %rsp, %rbp\n cmpq $3, %rdi\n jae 1f\n call {callee}\n popq %rbp\n ret\n1:\n movq $-22, %rax\n popq %rbp\n ret",
                2 => $"pushq %rbp\n movq %rsp, %rbp\n pushq %r13\n movq %rsi, %r13\n xorl %eax, %eax\n2:\n addq (%r13), %rax\n addq $8, %r13\n decq %rdi\n jnz 2b\n popq %r13\n popq %rbp\n ret",
                _ => $"testq %rdi, %rdi\n jz 1f\n movq %rsi, %rdi\n jmp {callee}\n1:\n xorl %eax, %eax\n ret",
            };
            text.Append(CultureInfo.InvariantCulture, $"\n .globl f{i}\n .type f{i}, @function\nf{i}:\n {body}\n .size f{i}, .-f{i}\n");
            if (i % 16 == 15)
            {
                text.Append(CultureInfo.InvariantCulture, $"\n .globl stub{i}\nstub{i}:\n HINT 2, 5\n pushq $-1\n subq $15*8, %rsp\n HINT 1, 5\n movq %rsp, %rdi\n call f{i}\n addq $16*8, %rsp\n HINT 2, 5\n iretq\n");
            }
        }

        return text.ToString();
    }

    private sealed class Configuration : ManualConfig
    {
        public Configuration()
        {
            AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(10));
            AddColumn(new PerThousandColumn());
        }
    }

    /// <summary>Mean time per 1,000 instructions validated.</summary>
    private sealed class PerThousandColumn : IColumn
    {
        public string Id => nameof(PerThousandColumn);

        public string ColumnName => "Per 1000 insns";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => 0;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Time;

        public string Legend => "Mean time divided by thousands of instructions decoded";

        public bool IsAvailable(Summary summary) => true;

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var report = summary[benchmarkCase];
            if (report?.ResultStatistics is not { } stats || Instructions == 0)
            {
                // The column runs in the host process; the count comes from a fresh setup there.
                var bench = new ValidationBenchmark();
                bench.Setup();
                if (report?.ResultStatistics is null)
                {
                    return "-";
                }

                stats = report.ResultStatistics;
            }

            double microseconds = stats.Mean / 1000.0 / (Instructions / 1000.0);
            return string.Create(CultureInfo.InvariantCulture, $"{microseconds:F1} µs ({Instructions} insns)");
        }
    }
}
