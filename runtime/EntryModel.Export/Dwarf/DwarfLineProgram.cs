namespace EntryModel.Export.Dwarf;

/// <summary>
/// Encodes a <c>.debug_line</c> unit, DWARF version 4: the version binutils' addr2line, readelf and
/// gdb have read longest, whose header names directories and files inline, so the unit needs no
/// <c>.debug_line_str</c>. Each sequence starts with DW_LNE_set_address (a full 8-byte address, so the
/// kernel's upper-half addresses pass unchanged) and ends with DW_LNE_end_sequence; rows use a special
/// opcode where one fits, else DW_LNS_advance_line / DW_LNS_advance_pc / DW_LNS_copy.
/// </summary>
/// <remarks>
/// Ours rather than LibObjectFile's DWARF writer: LibObjectFile 2.3.1 compares a line table's
/// addresses as signed 64-bit values, so every kernel address (at or above 2^63) fails its check
/// with error LB2012 ("Invalid address 0xffffffff81000000 after previous 0x0").
/// </remarks>
public static class DwarfLineProgram
{
    public const ushort Version = 4;

    // The header's choices for special opcodes, as GNU as makes them.
    private const sbyte LineBase = -5;
    private const byte LineRange = 14;
    private const byte OpcodeBase = 13;

    /// <summary>Operands of standard opcodes 1..12 (DWARF 4, 6.2.5.2).</summary>
    private static readonly byte[] StandardOpcodeLengths = [0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1];

    private const byte Copy = 0x01;
    private const byte AdvancePc = 0x02;
    private const byte AdvanceLine = 0x03;
    private const byte SetFile = 0x04;
    private const byte EndSequence = 0x01;
    private const byte SetAddress = 0x02;

    /// <summary>
    /// The unit: <paramref name="directories"/> are include_directories 1..n, each file names its
    /// directory by that index (0: the compile unit's DW_AT_comp_dir).
    /// </summary>
    public static byte[] Encode(IReadOnlyList<string> directories, IReadOnlyList<(string Name, int Directory)> files, IReadOnlyList<DwarfLineSequence> sequences)
    {
        ArgumentNullException.ThrowIfNull(directories);
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(sequences);

        var unit = new DwarfBuffer();
        int unitLength = unit.ReserveLength();
        unit.U16(Version);
        int headerLength = unit.ReserveLength();
        unit.U8(1); // minimum_instruction_length: x86 instructions are any number of bytes
        unit.U8(1); // maximum_operations_per_instruction: not VLIW
        unit.U8(1); // default_is_stmt
        unit.S8(LineBase);
        unit.U8(LineRange);
        unit.U8(OpcodeBase);
        unit.Bytes(StandardOpcodeLengths);
        foreach (string directory in directories)
        {
            unit.CString(directory);
        }

        unit.U8(0);
        foreach (var (name, directory) in files)
        {
            if (directory < 0 || directory > directories.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(files), $"{name} names directory {directory} of {directories.Count}");
            }

            unit.CString(name);
            unit.Uleb((ulong)directory);
            unit.Uleb(0); // modification time: unknown
            unit.Uleb(0); // length: unknown
        }

        unit.U8(0);
        unit.PatchLength(headerLength);

        foreach (var sequence in sequences)
        {
            Program(unit, sequence, files.Count);
        }

        unit.PatchLength(unitLength);
        return unit.ToArray();
    }

    private static void Program(DwarfBuffer unit, DwarfLineSequence sequence, int fileCount)
    {
        if (sequence.Rows.Count == 0)
        {
            return;
        }

        // The state machine's registers at a sequence's start.
        ulong address = sequence.Rows[0].Address;
        int file = 1;
        long line = 1;
        unit.U8(0);
        unit.Uleb(9);
        unit.U8(SetAddress);
        unit.U64(address);
        foreach (var row in sequence.Rows)
        {
            if (row.Address < address)
            {
                throw new ArgumentException($"line rows must rise: 0x{row.Address:x} after 0x{address:x}", nameof(sequence));
            }

            if (row.File < 1 || row.File > fileCount)
            {
                throw new ArgumentOutOfRangeException(nameof(sequence), $"row at 0x{row.Address:x} names file {row.File} of {fileCount}");
            }

            if (row.File != file)
            {
                unit.U8(SetFile);
                unit.Uleb((ulong)row.File);
                file = row.File;
            }

            long lineDelta = row.Line - line;
            ulong addressDelta = row.Address - address;
            if (TrySpecial(lineDelta, addressDelta, out byte special))
            {
                unit.U8(special);
            }
            else
            {
                if (lineDelta != 0)
                {
                    unit.U8(AdvanceLine);
                    unit.Sleb(lineDelta);
                }

                if (addressDelta != 0)
                {
                    unit.U8(AdvancePc);
                    unit.Uleb(addressDelta);
                }

                unit.U8(Copy);
            }

            address = row.Address;
            line = row.Line;
        }

        if (sequence.End <= address)
        {
            throw new ArgumentException($"a sequence must end past its last row (0x{address:x}), not at 0x{sequence.End:x}", nameof(sequence));
        }

        unit.U8(AdvancePc);
        unit.Uleb(sequence.End - address);
        unit.U8(0);
        unit.Uleb(1);
        unit.U8(EndSequence);
    }

    /// <summary>The special opcode that advances both registers and appends a row (DWARF 4, 6.2.5.1), when one fits in a byte.</summary>
    private static bool TrySpecial(long lineDelta, ulong addressDelta, out byte opcode)
    {
        opcode = 0;
        if (lineDelta < LineBase || lineDelta >= LineBase + LineRange || addressDelta > 255)
        {
            return false;
        }

        ulong value = (ulong)(lineDelta - LineBase) + (LineRange * addressDelta) + OpcodeBase;
        if (value > 255)
        {
            return false;
        }

        opcode = (byte)value;
        return true;
    }
}
