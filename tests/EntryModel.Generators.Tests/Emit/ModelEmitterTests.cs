using System.Collections.Immutable;
using System.Reflection;
using EntryModel.Generators.Diagnostics;
using EntryModel.Generators.Emit;
using EntryModel.Generators.Model;
using EntryModel.Generators.Pipeline;
using EntryModel.Generators.Tests.Generator;

namespace EntryModel.Generators.Tests.Emit;

/// <summary>
/// The emitted C# compiles warning-free under the consumer's settings and, loaded, builds a
/// KernelImage holding exactly what the assembler produced.
/// </summary>
public sealed class ModelEmitterTests
{
    private const string UserPart = """
        using EntryModel;
        namespace Demo;
        [KernelModel, FrameStrategy("pt-regs-frame"), FrameStrategy("none")]
        public static partial class Kernel { }
        """;

    private static readonly TextLocation StubLocation = new("/src/Kernel.cs", 100, 30, EquatableArray<int>.Empty, new EquatableArray<int>(ImmutableArray.Create(7, 8, 9)));

    [Test]
    public void Emitted_image_holds_the_assembled_bytes_symbols_relocations_lines_and_gates()
    {
        var result = SampleResult("pt-regs-frame");
        var assembly = CompileAndLoad(Input(Outcome(0, result), Outcome(1, SampleResult("none"))));

        var image = (KernelImage)GeneratorHarness.StaticProperty(assembly, "Demo.Kernel", "PtRegsFrame")!;
        Assert.Multiple(() =>
        {
            Assert.That(image.Model, Is.EqualTo("Kernel"));
            Assert.That(image.Strategy, Is.EqualTo("pt-regs-frame"));
            Assert.That(image.Description, Is.EqualTo("a \"quoted\" <description>"));
            Assert.That(image.Defines, Is.EqualTo(new[] { "CONFIG_FRAME_POINTER", "OFF=8" }));
            Assert.That(image.Chunks, Has.Count.EqualTo(2));
            Assert.That(image.Chunks[0].Bytes, Is.EqualTo(result.Chunks[0].Bytes.Items.ToArray()));
            Assert.That(image.Chunks[0].Address, Is.EqualTo(0xffffffff81000000UL));
            Assert.That(image.Chunks[0].Flags, Is.EqualTo(SectionPermissions.Executable));
            Assert.That(image.Chunks[1].Bytes, Has.Length.EqualTo(300));
            Assert.That(image.Chunks[1].Section, Is.EqualTo(".data"));
            Assert.That(image.Symbols.All, Is.EquivalentTo(new[]
            {
                new Symbol("stub", 0xffffffff81000000UL, 5, SymbolKind.Entry, ".text"),
                new Symbol("pt_regs", 0xffffffff81000010UL, 0x10, SymbolKind.Marker, ".text"),
            }));
            Assert.That(image.Relocations, Is.EqualTo(new[] { new Relocation(0xffffffff81000001UL, RelocationKind.Absolute32Signed, "pt_regs", 1) }));
            Assert.That(image.Lines, Is.EqualTo(new[]
            {
                new LineMapEntry(0xffffffff81000000UL, 1, "stub", 0, "/src/Kernel.cs", 7, "pushq %rsp", "CREATE_PT_REGS_FRAME"),
                new LineMapEntry(0xffffffff81000001UL, 4, "stub", 2, "/src/Kernel.cs", 9, "pushq $pt_regs+1", ""),
            }));
            Assert.That(image.Idt, Is.EqualTo(new[] { new IdtGate(14, "stub", 0xffffffff81000000UL, "do_page_fault", true, 0, false, 0) }));
            Assert.That(image.SyscallEntry, Is.EqualTo("stub"));
        });
    }

    [Test]
    public void Images_and_GetImage_expose_every_strategy_once_and_lazily()
    {
        var assembly = CompileAndLoad(Input(Outcome(0, SampleResult("pt-regs-frame")), Outcome(1, SampleResult("none"))));
        var type = assembly.GetType("Demo.Kernel")!;
        var images = (IReadOnlyList<KernelImage>)GeneratorHarness.StaticProperty(assembly, "Demo.Kernel", "Images")!;
        var getImage = type.GetMethod("GetImage", BindingFlags.Public | BindingFlags.Static)!;

        Assert.That(images.Select(i => i.Strategy), Is.EqualTo(new[] { "pt-regs-frame", "none" }));
        Assert.That(getImage.Invoke(null, ["none"]), Is.SameAs(images[1]));
        Assert.That(GeneratorHarness.StaticProperty(assembly, "Demo.Kernel", "None"), Is.SameAs(images[1]));
        var unknown = Assert.Throws<TargetInvocationException>(() => getImage.Invoke(null, ["orc"]));
        Assert.That(unknown!.InnerException, Is.TypeOf<ArgumentException>().With.Message.Contains("pt-regs-frame, none"));
    }

    [Test]
    public void Strategy_with_errors_gets_a_property_that_throws_naming_the_diagnostics()
    {
        var failed = SampleResult("none") with
        {
            Diagnostics = new EquatableArray<AsmDiagnostic>(ImmutableArray.Create(new AsmDiagnostic(DiagnosticIds.UnknownMnemonic, "unknown mnemonic 'frob'", 0, 0, 4))),
        };
        var input = Input(Outcome(0, SampleResult("pt-regs-frame")), Outcome(1, failed));
        var generated = ModelEmitter.Emit(input);
        var assembly = CompileAndLoad(input);

        Assert.That(generated.Source, Does.Not.Contain("__EntryModelImage_None"), "no builder is emitted for a failed strategy");
        var error = Assert.Throws<TargetInvocationException>(() => GeneratorHarness.StaticProperty(assembly, "Demo.Kernel", "None"));
        Assert.That(error!.InnerException, Is.TypeOf<InvalidOperationException>().With.Message.Contains("EM0001 unknown mnemonic 'frob'"));
        Assert.That(GeneratorHarness.StaticProperty(assembly, "Demo.Kernel", "PtRegsFrame"), Is.InstanceOf<KernelImage>());
    }

    [Test]
    public void Diagnostic_found_under_some_strategies_only_names_them_and_one_found_under_all_is_reported_once()
    {
        var everywhere = new AsmDiagnostic(DiagnosticIds.UndefinedSymbol, "undefined symbol 'x'", 0, 1, 2);
        var onlyNone = new AsmDiagnostic(DiagnosticIds.SizeOverflow, "code overflows", 0, 3, 1);
        var ptRegs = SampleResult("pt-regs-frame") with { Diagnostics = new EquatableArray<AsmDiagnostic>(ImmutableArray.Create(everywhere)) };
        var none = SampleResult("none") with { Diagnostics = new EquatableArray<AsmDiagnostic>(ImmutableArray.Create(everywhere, onlyNone)) };

        var diagnostics = ModelEmitter.Emit(Input(Outcome(0, ptRegs), Outcome(1, none))).Diagnostics;

        Assert.That(diagnostics.Select(d => (d.Id, d.Message)), Is.EqualTo(new[]
        {
            (DiagnosticIds.UndefinedSymbol, "undefined symbol 'x'"),
            (DiagnosticIds.SizeOverflow, "code overflows (frame strategy none)"),
        }));
    }

    private static Assembly CompileAndLoad(EmitInput input)
    {
        var generated = ModelEmitter.Emit(input);
        Assert.That(generated.Source, Does.StartWith("// <auto-generated/>"));
        Assert.That(generated.Source, Does.Contain("#nullable enable"));
        var compilation = GeneratorHarness.Compile(("/src/Kernel.cs", UserPart), ("/gen/Kernel.g.cs", generated.Source!));
        return GeneratorHarness.Load(compilation);
    }

    private static EmitInput Input(params StrategyOutcome[] outcomes)
    {
        var declaration = new SourceDeclaration(DeclarationKind.IdtEntry, "stub", 1, 0, 0, 16, ".text", 14, true, "do_page_fault", 0, false, 0, "pushq %rsp\n\npushq $pt_regs+1", StubLocation);
        var model = new ModelSource(
            "Demo",
            "Kernel",
            "/src/Kernel.cs",
            new EquatableArray<StrategySource>(outcomes.Select(o => o.Strategy)),
            EquatableArray<SectionSource>.Empty,
            new EquatableArray<SourceDeclaration>(ImmutableArray.Create(declaration)));
        return new EmitInput(new ModelInput(model, null), new EquatableArray<StrategyOutcome>(outcomes));
    }

    private static StrategyOutcome Outcome(int index, AssemblyResult result) =>
        new("Demo.Kernel", index, new StrategySource(result.Strategy, result.Description, result.Defines), result, null, EquatableArray<AsmDiagnostic>.Empty);

    private static AssemblyResult SampleResult(string strategy)
    {
        byte[] text = [0x54, 0x68, 0x61, 0x00, 0x00, 0x81];
        var data = Enumerable.Range(0, 300).Select(i => (byte)(i * 7));
        return new AssemblyResult(
            strategy,
            "a \"quoted\" <description>",
            new EquatableArray<string>(ImmutableArray.Create("CONFIG_FRAME_POINTER", "OFF=8")),
            new EquatableArray<AssembledChunk>(ImmutableArray.Create(
                new AssembledChunk(".text", 0xffffffff81000000UL, new EquatableArray<byte>(text), (int)SectionPermissions.Executable),
                new AssembledChunk(".data", 0xffffffff82000000UL, new EquatableArray<byte>(data), (int)SectionPermissions.Writable))),
            new EquatableArray<AssembledSymbol>(ImmutableArray.Create(
                new AssembledSymbol("stub", 0xffffffff81000000UL, 5, (int)SymbolKind.Entry, ".text"),
                new AssembledSymbol("pt_regs", 0xffffffff81000010UL, 0x10, (int)SymbolKind.Marker, ".text"))),
            new EquatableArray<AssembledRelocation>(ImmutableArray.Create(new AssembledRelocation(0xffffffff81000001UL, (int)RelocationKind.Absolute32Signed, "pt_regs", 1))),
            new EquatableArray<AssembledLine>(ImmutableArray.Create(
                new AssembledLine(0xffffffff81000000UL, 1, 0, 0, "pushq %rsp", "CREATE_PT_REGS_FRAME"),
                new AssembledLine(0xffffffff81000001UL, 4, 0, 2, "pushq $pt_regs+1", ""))),
            new EquatableArray<AssembledGate>(ImmutableArray.Create(new AssembledGate(14, "stub", 0xffffffff81000000UL, "do_page_fault", true, 0, false, 0))),
            "stub",
            EquatableArray<AsmDiagnostic>.Empty,
            new EquatableArray<AssembledConstant>(ImmutableArray.Create(new AssembledConstant("RIP", 128))));
    }
}
