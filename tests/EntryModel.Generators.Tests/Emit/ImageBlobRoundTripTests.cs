using EntryModel.Generators.Emit;
using EntryModel.Generators.Model;

namespace EntryModel.Generators.Tests.Emit;

/// <summary>The generator's blob writer and the runtime's reader agree on every field.</summary>
[TestFixture]
public sealed class ImageBlobRoundTripTests
{
    [Test]
    public void Every_field_survives_the_round_trip()
    {
        var decl = new SourceDeclaration(DeclarationKind.Code, "f", 0, 0, 0, 16, ".text", 0, false, null, 0, false, 0, "ret", TextLocation.None);
        var model = new ModelSource("N", "Model", "m.cs", EquatableArray<StrategySource>.Empty, EquatableArray<SectionSource>.Empty, new EquatableArray<SourceDeclaration>([decl]));
        var result = new AssemblyResult(
            "pt-regs-frame",
            "fake frames",
            new EquatableArray<string>(["CONFIG_FRAME_POINTER", "X=2"]),
            new EquatableArray<AssembledChunk>([new AssembledChunk(".text", 0xffffffff81000000, new EquatableArray<byte>([0x55, 0xc3]), 2), new AssembledChunk(".user.text", 0x400000, new EquatableArray<byte>([0x90]), 6)]),
            new EquatableArray<AssembledSymbol>([new AssembledSymbol("f", 0xffffffff81000000, 2, 0, ".text"), new AssembledSymbol("u", 0x400000, 1, 4, ".user.text")]),
            new EquatableArray<AssembledRelocation>([new AssembledRelocation(0xffffffff81000001, 3, "g", -4), new AssembledRelocation(0x400000, 0, "f", long.MinValue)]),
            new EquatableArray<AssembledLine>([new AssembledLine(0xffffffff81000000, 1, 0, 0, "pushq %rbp", "M at f:1"), new AssembledLine(0x400000, 1, -1, 3, "nop", string.Empty)]),
            new EquatableArray<AssembledGate>([new AssembledGate(14, "page_fault", 0xffffffff81887030, "do_page_fault", true, 0, false, 0), new AssembledGate(2, "nmi", 0xffffffff81000000, null, false, 2, true, 3)]),
            "entry_SYSCALL_64",
            EquatableArray<AsmDiagnostic>.Empty,
            new EquatableArray<AssembledConstant>([new AssembledConstant("RIP", 16 * 8), new AssembledConstant("NEG", -5)]));

        var image = KernelImageBlob.Read(ImageBlobWriter.Write(model, result));

        Assert.Multiple(() =>
        {
            Assert.That((image.Model, image.Strategy, image.Description, image.SyscallEntry), Is.EqualTo(("Model", "pt-regs-frame", "fake frames", "entry_SYSCALL_64")));
            Assert.That(image.Defines, Is.EqualTo(new[] { "CONFIG_FRAME_POINTER", "X=2" }));
            Assert.That(image.Chunks.Select(c => (c.Section, c.Address, Convert.ToHexString(c.Bytes), (int)c.Flags)), Is.EqualTo(new[] { (".text", 0xffffffff81000000UL, "55C3", 2), (".user.text", 0x400000UL, "90", 6) }));
            Assert.That(image.Symbols.All, Is.EqualTo(new[] { new Symbol("u", 0x400000, 1, SymbolKind.Label, ".user.text"), new Symbol("f", 0xffffffff81000000, 2, SymbolKind.Function, ".text") }));
            Assert.That(image.Relocations, Is.EqualTo(new[] { new Relocation(0xffffffff81000001, RelocationKind.Relative32, "g", -4), new Relocation(0x400000, RelocationKind.Absolute64, "f", long.MinValue) }));
            Assert.That(image.Lines, Is.EqualTo(new[] { new LineMapEntry(0xffffffff81000000, 1, "f", 0, "", 0, "pushq %rbp", "M at f:1"), new LineMapEntry(0x400000, 1, "", 3, "", 0, "nop", "") }));
            Assert.That(image.Constants, Is.EquivalentTo(new Dictionary<string, long> { ["RIP"] = 128, ["NEG"] = -5 }));
            Assert.That(image.Idt, Is.EqualTo(new[] { new IdtGate(14, "page_fault", 0xffffffff81887030, "do_page_fault", true, 0, false, 0), new IdtGate(2, "nmi", 0xffffffff81000000, null, false, 2, true, 3) }));
        });
    }

    [Test]
    public void A_damaged_or_foreign_blob_is_refused()
    {
        Assert.Multiple(() =>
        {
            Assert.Throws<InvalidDataException>(() => KernelImageBlob.Read("AAAA"));
            Assert.Throws<InvalidDataException>(() => KernelImageBlob.Read(new byte[] { (byte)'E', (byte)'M', (byte)'I', (byte)'B', 99 }));
            Assert.Throws<InvalidDataException>(() => KernelImageBlob.Read(new byte[] { (byte)'E', (byte)'M', (byte)'I', (byte)'B', 2, 5 }));
        });
    }
}
