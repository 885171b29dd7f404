using EntryModel.Scenarios.Inspection;

namespace EntryModel.Scenarios.Tests.Inspection;

/// <summary>
/// dump-orc's text: objtool 6.1's <c>--dump=orc</c> lines, placed by section and offset. No image of
/// the default model has ORC tables yet, so a hand-built one stands in.
/// </summary>
public class OrcDumpTests
{
    private const ulong Text = 0xffffffff81000000;
    private const ulong MoreText = Text + 0x100;
    private const ulong EntryText = Text + 0x1000;

    private static OrcEntry Row(OrcRegister sp, short spOffset, OrcRegister bp = OrcRegister.Undefined, short bpOffset = 0, OrcType type = OrcType.Call, bool end = false) =>
        new(spOffset, bpOffset, sp, bp, type, end);

    [Test]
    public void Rows_print_as_objtool_prints_them_at_section_plus_hex_offset()
    {
        (ulong Ip, OrcEntry Row)[] rows =
        [
            (Text, Row(OrcRegister.Sp, 8)),
            (Text + 1, Row(OrcRegister.Sp, 16, OrcRegister.PrevSp, -16)),
            (Text + 4, Row(OrcRegister.Bp, 16, OrcRegister.PrevSp, -16)),
            (MoreText + 0x1c, Row(OrcRegister.BpIndirect, -8, OrcRegister.Bp, 0)),
            (EntryText, Row(OrcRegister.Sp, 0, type: OrcType.RegsPartial)),
            (EntryText + 8, Row(OrcRegister.SpIndirect, 0, type: OrcType.Regs)),
            (EntryText + 0x10, Row(OrcRegister.Undefined, 0, end: true)),
            (EntryText + 0x20, OrcEntry.Undefined),
        ];

        var lines = OrcDump.Lines(Image(rows), Table(rows)).ToArray();

        Assert.That(lines, Is.EqualTo(new[]
        {
            ".text+0: sp:sp+8 bp:(und) type:call end:0",
            ".text+1: sp:sp+16 bp:prevsp-16 type:call end:0",
            ".text+4: sp:bp+16 bp:prevsp-16 type:call end:0",
            ".text+11c: sp:(bp-8) bp:bp+0 type:call end:0",
            ".entry.text+0: sp:sp+0 bp:(und) type:regs (partial) end:0",
            ".entry.text+8: sp:(sp)+0 bp:(und) type:regs end:0",
            ".entry.text+10: sp:(und) bp:(und) type:call end:1",
            ".entry.text+20: sp:(und) bp:(und) type:call end:0",
        }));
    }

    [Test]
    public void A_row_outside_every_section_prints_at_its_address()
    {
        (ulong Ip, OrcEntry Row)[] rows = [(Text, Row(OrcRegister.Sp, 8)), (Text + 0x800, OrcEntry.Undefined)];

        var lines = OrcDump.Lines(Image(rows), Table(rows)).ToArray();

        Assert.That(lines[1], Is.EqualTo("ffffffff81000800: sp:(und) bp:(und) type:call end:0"));
    }

    private static OrcTable Table((ulong Ip, OrcEntry Row)[] rows) =>
        new([.. rows.Select(r => r.Ip)], [.. rows.Select(r => r.Row)], Text, EntryText + 0x20);

    private static KernelImage Image((ulong Ip, OrcEntry Row)[] rows)
    {
        ImageChunk[] chunks =
        [
            new(".text", Text, new byte[0x40], SectionPermissions.Executable),
            new(".text", MoreText, new byte[0x40], SectionPermissions.Executable),
            new(".entry.text", EntryText, new byte[0x20], SectionPermissions.Executable),
            new(".data", EntryText + 0x20, new byte[0x20], SectionPermissions.None),
        ];
        return new KernelImage("synthetic", "orc", null, ["CONFIG_UNWINDER_ORC"], chunks, new SymbolTable([]), [], [], [], null, null, Table(rows));
    }
}
