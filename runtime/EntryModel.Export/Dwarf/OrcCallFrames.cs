namespace EntryModel.Export.Dwarf;

/// <summary>
/// The call frame information an image's ORC rows say, one FDE per row over the addresses the row is
/// in force at (up to the next row), so that gdb unwinds code without frame pointers as the kernel's
/// ORC unwinder does:
/// <list type="bullet">
/// <item>a call row: CFA = the row's base (%rsp, %rbp, %rdx, %rdi, %r10, %r13) + offset, or for an
/// indirect base the word at %rsp (then + offset) or at %rbp + offset; return address at CFA - 8 (the
/// CIE's rule); %rbp saved at CFA + bp_offset (prevsp) or at %rbp + bp_offset (bp), else untouched;</item>
/// <item>a regs row (a whole pt_regs at the row's address R): CFA = the saved RSP at R + RSP, and
/// every register pt_regs holds at R + its offset (the offsets are the image's constants), except
/// fields below %rsp (not pushed yet, or popped back already): those registers hold the value;</item>
/// <item>a partial-regs row (the iret frame at R, which is &amp;regs->ip): RIP, CS, EFLAGS and SS at R
/// plus their offsets from RIP, CFA = the saved RSP; other registers untouched;</item>
/// <item>an end row: the return address is undefined, so gdb takes the frame as the outermost.</item>
/// </list>
/// A row that knows nothing (undefined base, not an end) gets no FDE: gdb then knows nothing there either.
/// The FDEs of regs and partial-regs rows are signal frames (CIE augmentation "S", as the kernel's own
/// entry code CFI once marked them with <c>.cfi_signal_frame</c>): gdb then looks the interrupted
/// frame up at its exact RIP, as the kernel does after pt_regs, not at RIP - 1 as after a call, and
/// lets the next frame's stack pointer lie below this one's, which it does whenever pt_regs was saved
/// on another stack (NMI or IRQ stack over the task stack); without it gdb stops there ("previous
/// frame inner to this frame"). gdb prints such a frame as "&lt;signal handler called&gt;". Where the
/// kernel's walk ends at a user-mode pt_regs, gdb goes on into user space: CFI cannot say "stop if
/// the saved CS is user mode". No <c>.eh_frame_hdr</c>: gdb reads <c>.eh_frame</c> itself and sorts
/// the FDEs; only a runtime unwinder (libgcc, through PT_GNU_EH_FRAME) uses the header's table.
/// </summary>
public sealed class OrcCallFrames
{
    private readonly KernelImage image;
    private readonly long ripOffset;

    public OrcCallFrames(KernelImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        this.image = image;
        ripOffset = image.Constant("RIP");
    }

    /// <summary>The FDEs of <paramref name="image"/>'s ORC rows; none without ORC tables.</summary>
    public static IReadOnlyList<FrameDescription> Of(KernelImage image) =>
        image?.Orc is null ? [] : new OrcCallFrames(image).Descriptions();

    public IReadOnlyList<FrameDescription> Descriptions()
    {
        var orc = image.Orc ?? throw new InvalidOperationException($"{image} has no ORC tables");
        var result = new List<FrameDescription>();
        for (int i = 0; i < orc.Count; i++)
        {
            var row = orc.Entries[i];
            if (row.IsUndefined)
            {
                continue;
            }

            // In force up to the next row, as orc_find has it, across chunk gaps too.
            ulong start = orc.Ips[i];
            ulong end = i + 1 < orc.Count ? orc.Ips[i + 1] : orc.TextEnd;
            if (end > start)
            {
                result.Add(new FrameDescription(start, end, Instructions(row), Signal: row.Type != OrcType.Call));
            }
        }

        return result;
    }

    /// <summary>The rules of one row, after the CIE's (CFA = %rsp + 8, return address at CFA - 8).</summary>
    public byte[] Instructions(OrcEntry row)
    {
        var program = new CallFrameProgram();
        if (row.SpReg == OrcRegister.Undefined)
        {
            // Only an end row gets here: there is no caller.
            return program.IsUndefined(DwarfRegister.ReturnAddress).ToArray();
        }

        switch (row.Type)
        {
            case OrcType.Call:
                DefineCallCfa(program, row);
                break;
            case OrcType.Regs:
                SavedInRegs(program, row, [.. DwarfRegister.PtRegsFields.Select(f => f.Field).Append("RSP")], 0);
                break;
            case OrcType.RegsPartial:
                SavedInRegs(program, row, DwarfRegister.IretFrameFields, ripOffset);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(row), row.Type, "an ORC row type without a DWARF form");
        }

        switch (row.BpReg)
        {
            case OrcRegister.Undefined:
                break;
            case OrcRegister.PrevSp:
                program.SavedAtCfa(DwarfRegister.Rbp, row.BpOffset);
                break;
            case OrcRegister.Bp:
                program.SavedAt(DwarfRegister.Rbp, new DwarfExpression().Register(DwarfRegister.Rbp, row.BpOffset).ToArray());
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(row), row.BpReg, "an ORC bp base without a DWARF form");
        }

        if (row.End)
        {
            program.IsUndefined(DwarfRegister.ReturnAddress);
        }

        return program.ToArray();
    }

    private static void DefineCallCfa(CallFrameProgram program, OrcEntry row)
    {
        switch (row.SpReg)
        {
            case OrcRegister.Sp or OrcRegister.Bp or OrcRegister.Dx or OrcRegister.Di or OrcRegister.R10 or OrcRegister.R13:
                program.DefineCfa(BaseRegister(row.SpReg), row.SpOffset);
                break;
            default:
                program.DefineCfa(RowAddress(row, 0).ToArray());
                break;
        }
    }

    /// <summary>
    /// A regs or partial-regs row: <paramref name="fields"/> lie at the row's address plus their pt_regs
    /// offset less <paramref name="bias"/> (RIP's for the iret frame, which starts there).
    /// </summary>
    private void SavedInRegs(CallFrameProgram program, OrcEntry row, IReadOnlyList<string> fields, long bias)
    {
        long rsp = image.Constant("RSP") - bias;
        program.DefineCfa(RowAddress(row, rsp).Deref().ToArray());
        foreach (var (field, register) in DwarfRegister.PtRegsFields.Where(f => fields.Contains(f.Field)))
        {
            long offset = image.Constant(field) - bias;

            // A field below %rsp is one not pushed yet (entry) or popped back into its register
            // (exit): either way the register holds the caller's value. Not RIP: the kernel reads it
            // from the frame even when the exit path has popped it into %rcx for sysret.
            if (register != DwarfRegister.ReturnAddress && row.SpReg == OrcRegister.Sp && row.SpOffset + offset < 0)
            {
                continue;
            }

            program.SavedAt(register, RowAddress(row, offset).ToArray());
        }
    }

    /// <summary>An expression that pushes the address the row's base and offset give (the ORC "CFA"), plus <paramref name="plus"/>.</summary>
    private static DwarfExpression RowAddress(OrcEntry row, long plus) => row.SpReg switch
    {
        OrcRegister.SpIndirect => new DwarfExpression().Register(DwarfRegister.Rsp, 0).Deref().Plus(row.SpOffset + plus),
        OrcRegister.BpIndirect => new DwarfExpression().Register(DwarfRegister.Rbp, row.SpOffset).Deref().Plus(plus),
        _ => new DwarfExpression().Register(BaseRegister(row.SpReg), row.SpOffset + plus),
    };

    private static int BaseRegister(OrcRegister register) => register switch
    {
        OrcRegister.Sp => DwarfRegister.Rsp,
        OrcRegister.Bp => DwarfRegister.Rbp,
        OrcRegister.Dx => DwarfRegister.Rdx,
        OrcRegister.Di => DwarfRegister.Rdi,
        OrcRegister.R10 => DwarfRegister.R10,
        OrcRegister.R13 => DwarfRegister.R13,
        _ => throw new ArgumentOutOfRangeException(nameof(register), register, "not a plain ORC base register"),
    };
}
