using System.Diagnostics;
using System.Text;
using EntryModel.Generators.Diagnostics;
using EntryModel.Generators.Encoding;
using EntryModel.Generators.Expansion;
using EntryModel.Generators.Model;
using EntryModel.Generators.Tests.Generator;

namespace EntryModel.Generators.Tests.Fuzz;

/// <summary>
/// Issue 15: text that expands without bound, nests without bound or asks for gigabytes. Each must
/// end in its own diagnostic, placed inside the declaration's text, within seconds and well under a
/// gigabyte, on a thread with the 1 MiB stack a compiler thread may have (no deep recursion).
/// </summary>
public sealed class HostileExpansionTests
{
    private const int SmallStack = 1 << 20;
    private static readonly TimeSpan TimeBound = TimeSpan.FromSeconds(5);
    private const long MemoryBound = 1L << 30;
    private const long WorkingSetBound = 2L << 30;

    /// <summary>The depth limit stops it once, rather than at each of the 2^100 leaves of its call tree.</summary>
    [Test]
    public void Macro_calling_itself_twice_stops_at_the_depth_limit() =>
        AssertStopped(".macro B\nB\nB\n.endm\nB", DiagnosticIds.MacroRecursion, "B");

    /// <summary>2^60 calls, each parsing a longer condition: a tenth of the default budget keeps the test quick.</summary>
    [Test]
    public void Macro_calling_itself_twice_within_the_depth_limit_spends_the_statement_budget() =>
        AssertStopped(".macro B n\n.if \\n\nB \\n-1\nB \\n-1\n.endif\n.endm\nB 60", DiagnosticIds.StatementBudgetExceeded, "B 60", new ExpansionLimits(100_000, ExpansionLimits.DefaultMaxEmittedBytes));

    [Test]
    public void Chain_of_thirty_macros_each_calling_the_next_twice_spends_the_statement_budget()
    {
        var text = new StringBuilder();
        for (int m = 0; m < 30; m++)
        {
            text.Append(".macro M").Append(m).Append('\n');
            text.Append(m == 29 ? "nop\n" : $"M{m + 1}\nM{m + 1}\n");
            text.Append(".endm\n");
        }

        AssertStopped(text + "M0", DiagnosticIds.StatementBudgetExceeded, "M0");
    }

    [Test]
    public void Billion_laughs_macros_spend_the_statement_budget()
    {
        var text = new StringBuilder(".macro L0\nnop\n.endm\n");
        for (int m = 1; m < 10; m++)
        {
            text.Append(".macro L").Append(m).Append('\n');
            text.Append(string.Concat(Enumerable.Repeat($"L{m - 1}\n", 10)));
            text.Append(".endm\n");
        }

        AssertStopped(text + "L9", DiagnosticIds.StatementBudgetExceeded, "L9");
    }

    [TestCase(".rept 100000\n.rept 100000\nnop\n.endr\n.endr", TestName = "Two nested .rept 100000")]
    [TestCase(".rept 100000\n.rept 100000\n.rept 100000\nnop\n.endr\n.endr\n.endr", TestName = "Three nested .rept 100000")]
    [TestCase(".rept 100000\n.rept 100000\n.rept 100000\n.endr\n.endr\n.endr", TestName = "Three nested .rept 100000 of nothing")]
    [TestCase(".rept 100000\n.irp r, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11\n.byte \\r\n.endr\n.endr", TestName = ".irp inside .rept 100000")]
    public void Nested_repeats_spend_the_statement_budget(string text) =>
        AssertStopped(text, DiagnosticIds.StatementBudgetExceeded, text.Substring(0, text.IndexOf('\n', StringComparison.Ordinal)));

    [Test]
    public void Four_fills_of_128_MiB_spend_the_byte_budget() =>
        AssertStopped("nop\n.fill 0x1000000, 4, 0\n.fill 0x1000000, 8, 0\n.fill 0x1000000, 8, 0\n.fill 0x1000000, 8, 0", DiagnosticIds.ByteBudgetExceeded, ".fill 0x1000000, 8, 0");

    /// <summary>One <c>.fill</c> may not pass 16 MiB, whatever the budget: each of the four is out of range.</summary>
    [Test]
    public void Fills_of_128_MiB_each_are_out_of_range() =>
        AssertStopped(string.Concat(Enumerable.Repeat(".fill 0x8000000, 1, 0\n", 4)), DiagnosticIds.ValueOutOfRange, " 0x8000000, 1, 0", expected: 4);

    /// <summary>Was an internal error (OverflowException allocating 16 GB).</summary>
    [Test]
    public void Thousand_skips_of_16_MiB_spend_the_byte_budget() =>
        AssertStopped(".rept 1000\n.skip 16777216\n.endr", DiagnosticIds.ByteBudgetExceeded, ".skip 16777216");

    [Test]
    public void Org_past_the_byte_budget_is_reported_not_clamped() =>
        AssertStopped("nop\n.org 0x7fffffff", DiagnosticIds.ByteBudgetExceeded, ".org 0x7fffffff");

    [Test]
    public void Alignment_past_the_byte_budget_is_caught_after_layout() =>
        AssertStopped("nop\n.p2align 20", DiagnosticIds.ByteBudgetExceeded, ".p2align 20", new ExpansionLimits(ExpansionLimits.DefaultMaxExpandedStatements, 4096));

    [Test]
    public void Org_within_the_budget_is_honoured_exactly()
    {
        // Was clamped to 16 MiB; now every byte of the gap is written with the fill.
        var result = GasAssembler.AssembleText("nop\n.org 0x1800000, 0xa5\nret");
        Assert.That(result.Diagnostics, Is.Empty);
        var bytes = result.Chunks.Single().Bytes.Items;
        Assert.Multiple(() =>
        {
            Assert.That(bytes.Length, Is.EqualTo(0x1800001));
            Assert.That(bytes[0], Is.EqualTo(0x90));
            Assert.That(bytes.Skip(1).Take(0x17fffff).All(b => b == 0xa5), Is.True);
            Assert.That(bytes[0x1800000], Is.EqualTo(0xc3));
        });
    }

    [Test]
    public void Ten_thousand_parentheses_are_too_deep() =>
        AssertStopped(".quad " + new string('(', 10000) + "1" + new string(')', 10000), DiagnosticIds.ExpressionTooDeep, "(");

    [Test]
    public void Hundred_thousand_unary_minus_signs_are_too_deep() =>
        AssertStopped(".quad " + new string('-', 100000) + "1", DiagnosticIds.ExpressionTooDeep, "-");

    [Test]
    public void Hundred_thousand_chained_additions_are_too_deep() =>
        AssertStopped(".quad 1" + string.Concat(Enumerable.Repeat("+1", 100000)), DiagnosticIds.ExpressionTooDeep, "+");

    [TestCase("movq $", ", %rax", TestName = "Deep immediate operand")]
    [TestCase("movq ", "(%rbx), %rax", TestName = "Deep displacement")]
    [TestCase(".rept ", "\n.endr", TestName = "Deep .rept count")]
    [TestCase(".if ", "\n.endif", TestName = "Deep .if condition")]
    [TestCase(".set x, ", "", TestName = "Deep .set value")]
    public void Deep_parentheses_are_too_deep_wherever_an_expression_is_read(string before, string after) =>
        AssertStopped("nop\n" + before + new string('(', 5000) + "1" + new string(')', 5000) + after, DiagnosticIds.ExpressionTooDeep, "(");

    /// <summary>A chain that does not simplify to label + constant stays a chain, and its depth is bounded.</summary>
    [Test]
    public void Long_chain_of_set_symbols_is_too_deep_to_evaluate() =>
        AssertStopped("start:\n.set x, start\n.rept 5000\n.set x, x*1+1\n.endr\n.quad x", DiagnosticIds.ExpressionTooDeep, "x");

    /// <summary>A chain that does not simplify, reassigned 500,000 times (nested .rept): one diagnostic, and cheap (the depth is known without evaluating).</summary>
    [Test]
    public void Chain_reassigned_half_a_million_times_is_one_cheap_diagnostic() =>
        AssertStopped("start:\n.set x, start\n.rept 1000\n.rept 500\n.set x, x*1+1\n.endr\n.endr\n.quad x", DiagnosticIds.ExpressionTooDeep, "x");

    /// <summary>label + constant reassigned 5,000 times is one addition, as GNU as keeps it: no depth to exceed.</summary>
    [Test]
    public void Long_chain_of_label_plus_constant_set_symbols_assembles()
    {
        var result = GasAssembler.AssembleText("start:\n.set x, start\n.rept 5000\n.set x, x+1\n.endr\n.quad x - start, x");
        Assert.That(result.Diagnostics, Is.Empty);
        var bytes = result.Chunks.Single().Bytes.Items.ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(BitConverter.ToInt64(bytes, 0), Is.EqualTo(5000));
            Assert.That(BitConverter.ToUInt64(bytes, 8), Is.EqualTo(0xffffffff81000000UL + 5000));
        });
    }

    [Test]
    public void Depth_within_the_limit_still_assembles()
    {
        string deep = new string('(', 200) + "1" + new string(')', 200);
        var result = GasAssembler.AssembleText($".quad {deep}\n.quad {new string('-', 200)}1");
        Assert.That(result.Diagnostics, Is.Empty);
        Assert.That(result.Chunks.Single().Bytes.Items.Take(8).ToArray(), Is.EqualTo(BitConverter.GetBytes(1L)));
    }

    [TestCase(".quad 1/0", "1/0", TestName = "Division by zero")]
    [TestCase(".quad 1%0", "1%0", TestName = "Modulo by zero")]
    [TestCase(".quad 0x8000000000000000/-1", "0x8000000000000000/-1", TestName = "INT64_MIN divided by -1")]
    [TestCase(".quad 0x8000000000000000%-1", "0x8000000000000000%-1", TestName = "INT64_MIN modulo -1")]
    public void Division_that_has_no_64_bit_result_is_a_diagnostic(string text, string span) =>
        AssertStopped(text, DiagnosticIds.ValueOutOfRange, span);

    [TestCase(".quad -1>>1", 0x7fffffffffffffffUL)]
    [TestCase(".quad -8>>2", 0x3ffffffffffffffeUL)]
    [TestCase(".quad 1<<63", 0x8000000000000000UL)]
    [TestCase(".quad 1<<64", 0UL)]
    [TestCase(".quad 1<<-1", 0UL)]
    [TestCase(".quad -1>>65", 0UL)]
    [TestCase(".quad -7/2", 0xfffffffffffffffdUL)]
    [TestCase(".quad -7%2", 0xffffffffffffffffUL)]
    public void Shifts_and_divisions_give_what_gnu_as_gives(string text, ulong expected)
    {
        var result = GasAssembler.AssembleText(text);
        Assert.That(result.Diagnostics, Is.Empty);
        Assert.That(BitConverter.ToUInt64(result.Chunks.Single().Bytes.Items.AsSpan()), Is.EqualTo(expected));
    }

    [Test]
    public void A_small_statement_budget_stops_what_the_default_lets_through()
    {
        const string Text = ".rept 100\nnop\n.endr";
        Assert.That(GasAssembler.AssembleText(Text).Diagnostics, Is.Empty);
        var diagnostic = AssertStopped(Text, DiagnosticIds.StatementBudgetExceeded, ".rept 100", new ExpansionLimits(50, ExpansionLimits.DefaultMaxEmittedBytes));
        Assert.That(diagnostic.Message, Does.Contain("50 statements").And.Contain(ExpansionLimits.StatementsProperty));
    }

    [Test]
    public void A_small_byte_budget_stops_what_the_default_lets_through()
    {
        const string Text = "nop\n.skip 4096\nret";
        Assert.That(GasAssembler.AssembleText(Text).Diagnostics, Is.Empty);
        var diagnostic = AssertStopped(Text, DiagnosticIds.ByteBudgetExceeded, ".skip 4096", new ExpansionLimits(ExpansionLimits.DefaultMaxExpandedStatements, 1024));
        Assert.That(diagnostic.Message, Does.Contain("1024 bytes").And.Contain(ExpansionLimits.BytesProperty));
    }

    [Test]
    public void The_budget_is_read_from_the_consumers_msbuild_properties()
    {
        const string Literal = "\"nop\\n.rept 100\\nnop\\n.endr\"";
        string source = "using EntryModel;\n[KernelModel, FrameStrategy(\"none\")]\npublic static partial class Kernel\n{\n    [GasCode(\"f\")]\n    public const string F = " + Literal + ";\n}\n";
        Assert.That(GeneratorHarness.Run(source).WithId(DiagnosticIds.StatementBudgetExceeded), Is.Empty);

        var properties = new Dictionary<string, string> { [ExpansionLimits.StatementsProperty] = "50" };
        var diagnostic = GeneratorHarness.Run(new EntryModelGenerator(), properties, source).WithId(DiagnosticIds.StatementBudgetExceeded).Single();
        int start = source.IndexOf(".rept 100", StringComparison.Ordinal);
        Assert.Multiple(() =>
        {
            Assert.That(diagnostic.Location.SourceSpan.Start, Is.EqualTo(start));
            Assert.That(diagnostic.Location.SourceSpan.Length, Is.EqualTo(".rept 100".Length));
        });
    }

    [TestCase("0x400", 1024L)]
    [TestCase(" 4096 ", 4096L)]
    [TestCase("lots", ExpansionLimits.DefaultMaxEmittedBytes)]
    [TestCase("-5", ExpansionLimits.DefaultMaxEmittedBytes)]
    public void Byte_budget_property_values(string value, long expected)
    {
        var options = new MsBuildProperties(new Dictionary<string, string> { [ExpansionLimits.BytesProperty] = value });
        Assert.That(EntryModel.Generators.Pipeline.ExpansionLimitsOptions.Read(options.GlobalOptions).MaxEmittedBytes, Is.EqualTo(expected));
    }

    /// <summary>
    /// Assembles <paramref name="text"/> on a small stack, bounded in time and memory, and returns its
    /// first diagnostic <paramref name="id"/> (<paramref name="expected"/> of them), which must span
    /// <paramref name="at"/> inside the text.
    /// </summary>
    private static AsmDiagnostic AssertStopped(string text, string id, string at, ExpansionLimits? limits = null, int expected = 1)
    {
        AssemblyResult? result = null;
        long allocated = 0;
        // CPU time, not wall time: the bound is on the work done, which a loaded machine does not change.
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var thread = new Thread(
            () =>
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                result = GasAssembler.AssembleText(text, limits ?? ExpansionLimits.Default);
                allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            },
            SmallStack);
        thread.Start();
        thread.Join();
        clock.Stop();
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;

        var found = result!.Diagnostics.Where(d => d.Id == id).ToList();
        TestContext.Out.WriteLine($"{clock.Elapsed.TotalMilliseconds:F0} ms ({cpu.TotalMilliseconds:F0} ms CPU), {allocated >> 20} MiB allocated; {string.Join("; ", result.Diagnostics.Take(5).Select(d => $"{d.Id} {d.Message}"))}");
        Assert.Multiple(() =>
        {
            Assert.That(cpu, Is.LessThan(TimeBound), "CPU time");
            Assert.That(clock.Elapsed, Is.LessThan(TimeBound * 12), "wall time (a hang, whatever else runs)");
            Assert.That(allocated, Is.LessThan(MemoryBound), "memory allocated");
            Assert.That(Process.GetCurrentProcess().PeakWorkingSet64, Is.LessThan(WorkingSetBound), "peak working set of the test host");
            Assert.That(result.Diagnostics.Where(d => d.Id == DiagnosticIds.InternalError), Is.Empty);
            Assert.That(found, Has.Count.EqualTo(expected), id);
        });

        var d = found[0];
        Assert.Multiple(() =>
        {
            Assert.That(d.DeclarationIndex, Is.Zero);
            Assert.That(d.Offset, Is.InRange(0, text.Length));
            Assert.That(d.Length, Is.InRange(0, text.Length - d.Offset));
            Assert.That(text.Substring(d.Offset, d.Length), Is.EqualTo(at), "the span");
        });
        return d;
    }
}
