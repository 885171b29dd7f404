using EntryModel.Generators.Diagnostics;
using Microsoft.CodeAnalysis;

namespace EntryModel.Generators.Tests.Generator;

/// <summary>
/// The real generator end to end: attributed C# in, a compiled KernelImage per strategy out, with
/// the bytes, symbols, relocations, line map, IDT and syscall entry the declarations ask for.
/// </summary>
public sealed class GeneratedImageTests
{
    private static readonly string Model = $$""""
        using EntryModel;
        namespace Demo;
        [KernelModel]
        [FrameStrategy("none")]
        [FrameStrategy("pt-regs-frame", "CONFIG_PT_REGS_FRAME")]
        public static partial class Kernel
        {
            [GasMacros]
            public const string Macros = """
                .macro CREATE_PT_REGS_FRAME
                pushq %rsp
                pushq $pt_regs+1
                pushq %rbp
                movq %rsp, %rbp
                .endm
        {{UnwindHintMacro.Indented("        ")}}
                """;

            [GasCode("pt_regs", Kind = SymbolKind.Marker, Address = 0xffffffff81887860, Size = 0x10)]
            public const string PtRegs = "nop\nnop";

            [GasCode("do_work", Address = 0xffffffff81000000)]
            public const string DoWork = """
                pushq %rbp
                movq %rsp, %rbp
                popq %rbp
                ret
                """;

            [IdtEntry("page_fault", 14, ErrorCode = true, Handler = "do_work")]
            public const string PageFault = """
                HINT 2, 5, 8
                .ifdef CONFIG_PT_REGS_FRAME
                CREATE_PT_REGS_FRAME
                .endif
                call do_work
                iretq
                """;

            [SyscallEntry("entry_SYSCALL_64")]
            public const string Syscall = "HINT 0, 0, 0, 1\nswapgs\nsysretq";
        }
        """";

    [Test]
    public void Model_generates_cleanly_and_compiles_warning_free()
    {
        var outcome = GeneratorHarness.Run(Model);
        Assert.That(outcome.Diagnostics, Is.Empty);
        Assert.That(outcome.CompileDiagnostics, Is.Empty);
    }

    [Test]
    public void Image_holds_the_bytes_symbols_relocations_lines_gates_and_syscall_entry()
    {
        var assembly = GeneratorHarness.Load(GeneratorHarness.Run(Model).Output);
        var none = (KernelImage)GeneratorHarness.StaticProperty(assembly, "Demo.Kernel", "None")!;
        var ptRegs = (KernelImage)GeneratorHarness.StaticProperty(assembly, "Demo.Kernel", "PtRegsFrame")!;

        var doWork = none.Symbols["do_work"];
        Assert.Multiple(() =>
        {
            Assert.That(doWork.Address, Is.EqualTo(0xffffffff81000000UL));
            Assert.That(doWork.Size, Is.EqualTo(6UL));
            Assert.That(Bytes(none, doWork.Address, 6), Is.EqualTo(new byte[] { 0x55, 0x48, 0x89, 0xe5, 0x5d, 0xc3 }));
            Assert.That(none.Symbols["pt_regs"], Is.EqualTo(new Symbol("pt_regs", 0xffffffff81887860UL, 0x10, SymbolKind.Marker, ".text")));
            Assert.That(Bytes(none, 0xffffffff81887860UL, 2), Is.EqualTo(new byte[] { 0x90, 0x90 }));

            // CREATE_PT_REGS_FRAME is 10 bytes: the pt-regs-frame stub is 10 bytes longer.
            Assert.That(ptRegs.Symbols["page_fault"].Size - none.Symbols["page_fault"].Size, Is.EqualTo(10UL));
            Assert.That(ptRegs.Relocations, Has.Some.Matches<Relocation>(r => r.Symbol == "pt_regs" && r.Addend == 1 && r.Kind == RelocationKind.Absolute32Signed));
            Assert.That(none.Relocations, Has.Some.Matches<Relocation>(r => r.Symbol == "do_work" && r.Kind == RelocationKind.Relative32));

            Assert.That(none.Idt, Is.EqualTo(new[] { new IdtGate(14, "page_fault", none.Symbols["page_fault"].Address, "do_work", true, 0, false, 0) }));
            Assert.That(none.SyscallEntry, Is.EqualTo("entry_SYSCALL_64"));
            Assert.That(ptRegs.Defines, Does.Contain("CONFIG_PT_REGS_FRAME"));
        });
    }

    [Test]
    public void Line_map_points_at_the_file_line_of_each_instruction()
    {
        var assembly = GeneratorHarness.Load(GeneratorHarness.Run(Model).Output);
        var image = (KernelImage)GeneratorHarness.StaticProperty(assembly, "Demo.Kernel", "None")!;
        string[] lines = Model.Split('\n');

        var movq = image.Lines.Single(l => l.Declaration == "do_work" && l.Text.Contains("movq", StringComparison.Ordinal));
        Assert.That(movq.File, Is.EqualTo(GeneratorHarness.ModelPath));
        Assert.That(lines[movq.FileLine - 1].Trim(), Is.EqualTo("movq %rsp, %rbp"));
        Assert.That(movq.Address, Is.EqualTo(0xffffffff81000001UL));

        var call = image.Lines.Single(l => l.Declaration == "page_fault" && l.Text.Contains("call", StringComparison.Ordinal));
        Assert.That(lines[call.FileLine - 1].Trim(), Is.EqualTo("call do_work"));
    }

    [Test]
    public void Unknown_mnemonic_in_a_multi_line_raw_literal_is_reported_on_its_line_and_column()
    {
        string source = Model.Replace("    popq %rbp\n", "    popq %rbp\n            frobnicate %rax\n", StringComparison.Ordinal);
        var outcome = GeneratorHarness.Run(source);

        var diagnostic = outcome.WithId(DiagnosticIds.UnknownMnemonic).Single();
        int at = source.IndexOf("frobnicate", StringComparison.Ordinal);
        var start = diagnostic.Location.GetLineSpan().StartLinePosition;
        Assert.That(diagnostic.Location.SourceSpan.Start, Is.EqualTo(at));
        Assert.That(diagnostic.Location.SourceSpan.End, Is.LessThanOrEqualTo(source.IndexOf('\n', at)));
        Assert.That((start.Line, start.Character), Is.EqualTo((source[..at].Count(c => c == '\n'), at - source.LastIndexOf('\n', at) - 1)));
        Assert.That(diagnostic.Severity, Is.EqualTo(DiagnosticSeverity.Error));

        // The image of a strategy with errors is never handed out.
        Assert.That(outcome.GeneratedSource, Does.Contain("None => throw new global::System.InvalidOperationException("));
    }

    private static byte[] Bytes(KernelImage image, ulong address, int count)
    {
        var chunk = image.Chunks.Single(c => address >= c.Address && address + (ulong)count <= c.End);
        return chunk.Bytes.AsSpan((int)(address - chunk.Address), count).ToArray();
    }
}
