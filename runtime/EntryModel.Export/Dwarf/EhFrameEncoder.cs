namespace EntryModel.Export.Dwarf;

/// <summary>
/// Encodes an <c>.eh_frame</c> section (the LSB's form of DWARF call frame information): a CIE,
/// version 1 with augmentation "zR", code alignment 1, data alignment -8, return address column 16
/// (%rip), FDE addresses as 8-byte absolute pointers (DW_EH_PE_absptr: the kernel's text sits
/// anywhere in the upper half, so no PC-relative 32-bit form is assumed), and the initial rules of a
/// function's entry (CFA = %rsp + 8, return address at CFA - 8); when some FDE is a signal frame, a
/// second CIE the same but for augmentation "zRS", which those FDEs use; then the FDEs, each padded
/// to 8 bytes with DW_CFA_nop, and the zero terminator readers stop at.
/// </summary>
/// <remarks>Ours: LibObjectFile 2.3.1 writes <c>.debug_*</c> sections but has no <c>.eh_frame</c> support at all.</remarks>
public static class EhFrameEncoder
{
    private const byte CieVersion = 1;
    private const byte PointerEncodingAbsolute = 0x00;
    private const int AddressSize = 8;

    public static byte[] Encode(IReadOnlyList<FrameDescription> descriptions)
    {
        ArgumentNullException.ThrowIfNull(descriptions);
        var section = new DwarfBuffer();
        int cie = Cie(section, "zR");
        int signalCie = descriptions.Any(d => d.Signal) ? Cie(section, "zRS") : -1;
        foreach (var description in descriptions.OrderBy(d => d.Start))
        {
            if (description.End <= description.Start)
            {
                throw new ArgumentException($"an FDE must cover code: 0x{description.Start:x}..0x{description.End:x}", nameof(descriptions));
            }

            int length = section.ReserveLength();
            section.U32((uint)(section.Position - (description.Signal ? signalCie : cie))); // CIE pointer: back from this field to the CIE
            section.U64(description.Start);
            section.U64(description.End - description.Start);
            section.Uleb(0); // no augmentation data
            section.Bytes(description.Instructions);
            PadAndClose(section, length);
        }

        section.U32(0);
        return section.ToArray();
    }

    /// <summary>Writes a CIE with <paramref name="augmentation"/> ("zR" or "zRS"); returns its offset, which its FDEs point back to.</summary>
    private static int Cie(DwarfBuffer section, string augmentation)
    {
        int cie = section.Position;
        int length = section.ReserveLength();
        section.U32(0); // CIE id: 0 in .eh_frame
        section.U8(CieVersion);
        section.CString(augmentation);
        section.Uleb(1); // code alignment factor
        section.Sleb(CallFrameProgram.DataAlignment);
        section.U8(DwarfRegister.ReturnAddress);
        section.Uleb(1); // augmentation data: the FDE pointer encoding alone ("S" has none)
        section.U8(PointerEncodingAbsolute);
        section.Bytes(new CallFrameProgram().DefineCfa(DwarfRegister.Rsp, 8).SavedAtCfa(DwarfRegister.ReturnAddress, -8).ToArray());
        PadAndClose(section, length);
        return cie;
    }

    /// <summary>Pads the entry with DW_CFA_nop (0) so the next starts at an address-size boundary, then writes its length.</summary>
    private static void PadAndClose(DwarfBuffer section, int lengthField)
    {
        while ((section.Position - lengthField) % AddressSize != 0)
        {
            section.U8(0);
        }

        section.PatchLength(lengthField);
    }
}
