using System.Globalization;
using EntryModel.Generators.Diagnostics;
using EntryModel.Generators.Pipeline;
using EntryModel.Generators.Tests.Extraction;
using EntryModel.Generators.Tests.Generator;
using Microsoft.CodeAnalysis;

namespace EntryModel.Generators.Tests.Validation;

/// <summary>
/// Stack validation as the compiler reports it: each broken rule is a diagnostic with its id, at
/// the offending instruction inside the string literal, at the severity the strategy asks for;
/// suppressible by id; cached like the rest of the pipeline; and the image carries the findings
/// and, for an ORC strategy, its ORC rows.
/// </summary>
public sealed class ValidationDiagnosticsTests
{
    private static string Model(string validation = "") => $$""""
        using EntryModel;
        namespace Demo;
        [KernelModel]
        [FrameStrategy("fp", "CONFIG_FRAME_POINTER"{{validation}})]
        [FrameStrategy("orc", "CONFIG_UNWINDER_ORC")]
        public static partial class Kernel
        {
            [GasMacros]
            public const string Macros = """
        {{UnwindHintMacro.Indented("        ")}}
                """;

            [GasCode("helper", Address = 0xffffffff81000000)]
            public const string Helper = "ret";

            [GasCode("framed", Address = 0xffffffff81000010)]
            public const string Framed = """
                pushq %rbp
                movq %rsp, %rbp
                call helper
                popq %rbp
                ret
                """;

            [GasCode("frameless", Address = 0xffffffff81000040)]
            public const string Frameless = """
                pushq %rbx
                call helper
                popq %rbx
                ret
                """;

            [GasCode("stub", Kind = SymbolKind.Entry, Address = 0xffffffff81000080)]
            public const string Stub = """
                HINT 2, 5, 0
                subq $15*8, %rsp
                HINT 1, 5, 0
                call helper
                addq $15*8, %rsp
                HINT 2, 5, 0
                iretq
                """;
        }
        """";

    [Test]
    public void A_call_without_a_frame_is_EM0201_at_the_call_under_the_frame_pointer_strategy_only()
    {
        string source = Model();
        var outcome = GeneratorHarness.Run(source);

        var found = outcome.WithId(DiagnosticIds.CallWithoutFrame).ToList();
        Assert.That(found, Has.Count.EqualTo(1), string.Join('\n', outcome.Diagnostics));
        var d = found[0];
        Assert.Multiple(() =>
        {
            Assert.That(d.DefaultSeverity, Is.EqualTo(DiagnosticSeverity.Warning), "a warning (this harness builds with warnings as errors)");
            Assert.That(ModelExtractorTests.SpanText(source, d), Is.EqualTo("call helper"));
            string message = d.GetMessage(CultureInfo.InvariantCulture);
            Assert.That(message, Does.Contain("frameless+0x1: call without frame pointer save/setup"));
            Assert.That(message, Does.Contain("frame strategy fp").And.Not.Contain("orc"));
            Assert.That(outcome.Diagnostics.Where(x => x.Id != DiagnosticIds.CallWithoutFrame), Is.Empty, "the rest validates cleanly");
        });
    }

    [Test]
    public void Findings_are_warnings_so_the_image_is_still_built_and_carries_them()
    {
        var outcome = GeneratorHarness.Run(Model());
        var assembly = GeneratorHarness.Load(outcome.Output.WithOptions(outcome.Output.Options.WithGeneralDiagnosticOption(ReportDiagnostic.Default)));
        var fp = (KernelImage)GeneratorHarness.StaticProperty(assembly, "Demo.Kernel", "Fp")!;
        var orc = (KernelImage)GeneratorHarness.StaticProperty(assembly, "Demo.Kernel", "Orc")!;

        Assert.Multiple(() =>
        {
            Assert.That(fp.Validation.Select(f => (f.Id, f.Rule, f.Address)), Is.EqualTo(new[] { ("EM0201", "CallWithoutFrame", 0xffffffff81000041UL) }));
            Assert.That(fp.Orc, Is.Null, "a frame-pointer strategy asks for no ORC");
            Assert.That(orc.Validation, Is.Empty);
            Assert.That(orc.Orc, Is.Not.Null);
            Assert.That(orc.Orc!.TryFind(0xffffffff81000011, out var afterPush) ? afterPush.ToString() : null, Is.EqualTo("sp:sp+16 bp:prevsp-16 type:call end:0"));
            Assert.That(orc.Orc.TryFind(0xffffffff81000088, out var inStub) ? inStub.ToString() : null, Is.EqualTo("sp:sp+0 bp:(und) type:regs end:0"));
        });
    }

    [Test]
    public void A_strategy_can_make_its_findings_errors_and_then_gets_no_image()
    {
        var outcome = GeneratorHarness.Run(Model(", Validation = ValidationSeverity.Error"));

        var d = outcome.WithId(DiagnosticIds.CallWithoutFrame).Single();
        Assert.That(d.Severity, Is.EqualTo(DiagnosticSeverity.Error));
        Assert.That(outcome.GeneratedSource, Does.Contain("public static global::EntryModel.KernelImage Fp => throw new global::System.InvalidOperationException(\"Frame strategy 'fp' of Kernel did not validate: EM0201 call without frame pointer save/setup\");"));
        Assert.That(outcome.GeneratedSource, Does.Contain("public static global::EntryModel.KernelImage Orc => global::System.Threading.LazyInitializer.EnsureInitialized("));
    }

    [Test]
    public void A_strategy_expected_to_break_the_rules_can_hide_its_findings()
    {
        var outcome = GeneratorHarness.Run(Model(", Validation = ValidationSeverity.Hidden"));

        Assert.That(outcome.WithId(DiagnosticIds.CallWithoutFrame).Single().Severity, Is.EqualTo(DiagnosticSeverity.Hidden));
        Assert.That(outcome.CompileDiagnostics.Where(x => x.Severity >= DiagnosticSeverity.Warning), Is.Empty);
    }

    [Test]
    public void Every_validation_id_is_a_configurable_warning_so_pragmas_editorconfig_and_NoWarn_suppress_it()
    {
        string[] ids = [.. typeof(DiagnosticIds).GetFields().Select(f => (string)f.GetValue(null)!).Where(id => string.CompareOrdinal(id, "EM0200") > 0)];
        Assert.That(ids, Has.Length.EqualTo(15));
        foreach (string id in ids)
        {
            var descriptor = Descriptors.For(id);
            Assert.That(descriptor.DefaultSeverity, Is.EqualTo(DiagnosticSeverity.Warning), id);
            Assert.That(descriptor.IsEnabledByDefault, Is.True, id);
            Assert.That(descriptor.CustomTags, Does.Not.Contain(WellKnownDiagnosticTags.NotConfigurable), id);
            Assert.That(descriptor.Title.ToString(CultureInfo.InvariantCulture), Is.Not.Contains("assembler error"), id + " has its own descriptor");
        }
    }

    [Test]
    public void Changing_whitespace_in_a_declaration_does_not_revalidate_and_changing_code_does()
    {
        string source = Model();
        var compilation = GeneratorHarness.Compile(source);
        var driver = GeneratorHarness.Driver(new EntryModelGenerator()).RunGenerators(compilation);

        var spaced = source.Replace("call helper\n        popq %rbx", "call   helper\n        popq %rbx", StringComparison.Ordinal);
        Assume.That(spaced, Is.Not.EqualTo(source));
        driver = driver.RunGenerators(compilation.ReplaceSyntaxTree(compilation.SyntaxTrees.First(), Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(spaced, GeneratorHarness.ParseOptions, GeneratorHarness.ModelPath)));
        Assert.That(Reasons(driver, StepNames.Validate), Is.All.EqualTo(IncrementalStepRunReason.Cached));

        var changed = source.Replace("pushq %rbx\n        call helper", "pushq %r12\n        call helper", StringComparison.Ordinal);
        Assume.That(changed, Is.Not.EqualTo(source));
        driver = driver.RunGenerators(compilation.ReplaceSyntaxTree(compilation.SyntaxTrees.First(), Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(changed, GeneratorHarness.ParseOptions, GeneratorHarness.ModelPath)));
        Assert.That(Reasons(driver, StepNames.Validate), Is.All.EqualTo(IncrementalStepRunReason.Modified));
    }

    private static IncrementalStepRunReason[] Reasons(GeneratorDriver driver, string step) =>
        [.. driver.GetRunResult().Results.Single().TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason)];
}

/// <summary>Hint records that name no instruction, or do not make whole records, are findings of their own (EM0214), not crashes.</summary>
public sealed class StrayHintTests
{
    private const string Model = """"
        using EntryModel;
        namespace Demo;
        [KernelModel]
        [FrameStrategy("orc", "CONFIG_UNWINDER_ORC")]
        public static partial class Kernel
        {
            [GasCode("helper", Address = 0xffffffff81000000)]
            public const string Helper = """
                ret
                .pushsection .discard.unwind_hints
                .long 0
                .short 0
                .byte 1, 5, 0
                .balign 4
                .byte 7
                .popsection
                """;
        }
        """";

    [Test]
    public void A_hint_outside_kernel_text_and_a_partial_record_are_EM0214()
    {
        var outcome = GeneratorHarness.Run(Model);
        var messages = outcome.WithId(DiagnosticIds.BadHint).Select(d => d.GetMessage(CultureInfo.InvariantCulture)).ToList();

        Assert.That(outcome.Result.Exception, Is.Null);
        Assert.That(messages, Has.Some.Contains("which is in no kernel text section"));
        Assert.That(messages, Has.Some.Contains("struct unwind_hint size mismatch: 1 bytes of .discard.unwind_hints make no whole record"));
        Assert.That(outcome.WithId(DiagnosticIds.InternalError), Is.Empty);
    }
}
