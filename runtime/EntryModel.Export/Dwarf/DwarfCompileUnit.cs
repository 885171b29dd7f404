namespace EntryModel.Export.Dwarf;

/// <summary>
/// Encodes the one compile unit an exported image describes (DWARF 4, matching its
/// <see cref="DwarfLineProgram"/>): a DW_TAG_compile_unit with no children whose DW_AT_stmt_list
/// points at the line unit and whose DW_AT_ranges list the code the line table covers (the image's
/// code lies in scattered chunks, so one low/high pair cannot say it). DW_AT_low_pc 0 is the base the
/// range list's absolute addresses add to. Strings are inline (DW_FORM_string): no <c>.debug_str</c>.
/// </summary>
/// <remarks>Ours rather than LibObjectFile's DWARF writer for the reason <see cref="DwarfLineProgram"/> gives (error LB2012 on addresses at or above 2^63).</remarks>
public static class DwarfCompileUnit
{
    /// <summary>DW_LANG_Mips_Assembler: what GNU as writes for assembly, and gdb reads as "asm".</summary>
    public const ushort LanguageAssembler = 0x8001;

    private const byte AbbrevCode = 1;
    private const ushort TagCompileUnit = 0x11;
    private const byte ChildrenNo = 0;

    private const ushort AtName = 0x03;
    private const ushort AtStmtList = 0x10;
    private const ushort AtLowPc = 0x11;
    private const ushort AtLanguage = 0x13;
    private const ushort AtCompDir = 0x1b;
    private const ushort AtProducer = 0x25;
    private const ushort AtRanges = 0x55;

    private const byte FormAddr = 0x01;
    private const byte FormData2 = 0x05;
    private const byte FormString = 0x08;
    private const byte FormSecOffset = 0x17;

    private static readonly (ushort Attribute, byte Form)[] Attributes =
    [
        (AtProducer, FormString),
        (AtLanguage, FormData2),
        (AtName, FormString),
        (AtCompDir, FormString),
        (AtStmtList, FormSecOffset),
        (AtLowPc, FormAddr),
        (AtRanges, FormSecOffset),
    ];

    /// <summary>The unit's three sections; its line unit is at offset 0 of <c>.debug_line</c>.</summary>
    public static (byte[] Info, byte[] Abbrev, byte[] Ranges) Encode(string producer, string name, string compDir, IReadOnlyList<(ulong Start, ulong End)> ranges)
    {
        ArgumentNullException.ThrowIfNull(ranges);

        var abbrev = new DwarfBuffer();
        abbrev.Uleb(AbbrevCode);
        abbrev.Uleb(TagCompileUnit);
        abbrev.U8(ChildrenNo);
        foreach (var (attribute, form) in Attributes)
        {
            abbrev.Uleb(attribute);
            abbrev.Uleb(form);
        }

        abbrev.Uleb(0);
        abbrev.Uleb(0);
        abbrev.Uleb(0); // the end of the unit's abbreviations

        var rangeList = new DwarfBuffer();
        foreach (var (start, end) in ranges.OrderBy(r => r.Start))
        {
            // An entry starting at all ones would be a base address selection, one ending at its start the list's end.
            if (start == ulong.MaxValue || end <= start)
            {
                throw new ArgumentException($"range 0x{start:x}..0x{end:x} cannot be a DWARF 4 range list entry", nameof(ranges));
            }

            rangeList.U64(start);
            rangeList.U64(end);
        }

        rangeList.U64(0);
        rangeList.U64(0);

        var info = new DwarfBuffer();
        int length = info.ReserveLength();
        info.U16(DwarfLineProgram.Version);
        info.U32(0); // debug_abbrev_offset
        info.U8(8); // address_size
        info.Uleb(AbbrevCode);
        info.CString(producer);
        info.U16(LanguageAssembler);
        info.CString(name);
        info.CString(compDir);
        info.U32(0); // DW_AT_stmt_list: the line unit
        info.U64(0); // DW_AT_low_pc: the range list's base
        info.U32(0); // DW_AT_ranges: the list
        info.PatchLength(length);
        return (info.ToArray(), abbrev.ToArray(), rangeList.ToArray());
    }
}
