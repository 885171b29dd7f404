using EntryModel.Generators.Model;

namespace EntryModel.Generators.Validation;

/// <summary>A symbol of the image as validation sees it: functions are what objtool calls STT_FUNC (with a size).</summary>
internal sealed record ValidationSymbol(string Name, ulong Address, ulong Size, bool IsFunction)
{
    /// <summary>
    /// A declaration's own name: the GNU-as build objtool checks gives each declaration its own
    /// section and makes its name global, so a jump there from elsewhere goes through a relocation
    /// that names it (a tail call when it comes from a function).
    /// </summary>
    public bool IsDeclaration { get; init; }
}

/// <summary>
/// One record of <c>.discard.unwind_hints</c> (the kernel's <c>struct unwind_hint</c>): the
/// instruction it is about, and the CFA (ORC register code + offset), type and end flag it declares.
/// </summary>
internal sealed record UnwindHint(ulong Address, int SpOffset, int SpReg, int Type, bool End);

/// <summary>
/// One <c>.altinstructions</c> record (the kernel's <c>struct alt_instr</c>): the original
/// instructions at <see cref="Original"/> (<see cref="OriginalLength"/> bytes) may be patched with
/// the <see cref="ReplacementLength"/> bytes at <see cref="Replacement"/> (none: the original is
/// skipped). objtool follows each replacement as another path through the original's place.
/// An exception-table entry (<c>__ex_table</c>) is an alternative that is no group: its fixup is
/// another path from the faulting instruction, with that instruction's state (<see cref="Group"/> false).
/// </summary>
internal sealed record AlternativeEntry(ulong Original, int OriginalLength, ulong Replacement, int ReplacementLength, bool Group = true);

/// <summary>A contiguous run of a section's bytes (sections of a model may have gaps between fixed addresses).</summary>
internal sealed record CodeChunk(string Section, ulong Address, EquatableArray<byte> Bytes)
{
    public ulong End => Address + (ulong)Bytes.Count;
}

/// <summary>
/// What one validation job needs: the kernel text of one strategy's linked image (as objtool sees
/// one object: every text section, so entry code is followed across them), every symbol of the
/// image, its hints, and which checks the strategy asks for: frame-pointer rules (objtool's
/// <c>--stackval</c>) and ORC rows (<c>--orc</c>). A value: an edit that leaves a strategy's text,
/// symbols and hints as they were re-validates nothing.
/// </summary>
internal sealed record ValidationUnit(
    string ModelKey,
    int StrategyIndex,
    EquatableArray<CodeChunk> Chunks,
    EquatableArray<ValidationSymbol> Symbols,
    EquatableArray<UnwindHint> Hints,
    bool FrameRules,
    bool Orc)
{
    /// <summary>
    /// Calls annotated as intra-function (<c>.discard.intra_function_calls</c>, the kernel's
    /// ANNOTATE_INTRA_FUNCTION_CALL): objtool follows each as a jump that pushes a return address.
    /// </summary>
    public EquatableArray<ulong> IntraFunctionCalls { get; init; } = EquatableArray<ulong>.Empty;

    /// <summary>
    /// Functions marked STACK_FRAME_NON_STANDARD (<c>.discard.func_stack_frame_non_standard</c>):
    /// objtool does not validate them, so they get no findings and no ORC rows of their own.
    /// </summary>
    public EquatableArray<ulong> IgnoredFunctions { get; init; } = EquatableArray<ulong>.Empty;

    /// <summary>The image's <c>.altinstructions</c> records whose original code is kernel text.</summary>
    public EquatableArray<AlternativeEntry> Alternatives { get; init; } = EquatableArray<AlternativeEntry>.Empty;
}

/// <summary>One ORC row (the kernel's <c>struct orc_entry</c>, ORC register codes) and the address it starts at.</summary>
internal readonly record struct OrcRow(ulong Address, int SpReg, int SpOffset, int BpReg, int BpOffset, int Type, bool End);

/// <summary>What validating one strategy's kernel text found: findings, ORC rows when asked, how many instructions it decoded.</summary>
internal sealed record TextValidation(
    string ModelKey,
    int StrategyIndex,
    EquatableArray<ValidationFinding> Findings,
    EquatableArray<OrcRow> Orc,
    int Instructions,
    string? InternalError);
