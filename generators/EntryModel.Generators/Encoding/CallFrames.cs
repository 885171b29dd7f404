using System.Collections.Generic;
using EntryModel.Generators.Expansion;

namespace EntryModel.Generators.Encoding;

/// <summary>A DWARF call frame instruction a <c>.cfi_*</c> directive records (DW_CFA_* in GNU as's terms).</summary>
internal enum CallFrameOp
{
    DefCfa,
    DefCfaRegister,
    DefCfaOffset,
    Offset,
    Restore,
    Undefined,
    SameValue,
    RememberState,
    RestoreState,
}

/// <summary>
/// A place in the code a CFI directive names: an item of no size, so the layout gives it the
/// offset the directive's statement has, as GNU as's temporary label at the directive does.
/// </summary>
internal sealed class CallFrameMark : Item
{
    public CallFrameMark(SourceRef source)
        : base(source)
    {
    }
}

/// <summary>One call frame instruction at <see cref="At"/>: register (DWARF number) and offset as the op needs them.</summary>
internal sealed record CallFrameStep(CallFrameMark At, CallFrameOp Op, int Register, long Offset);

/// <summary>
/// What one <c>.cfi_startproc</c> ... <c>.cfi_endproc</c> described: where the code starts and
/// ends, and its instructions in order. <see cref="Simple"/>: <c>.cfi_startproc simple</c>, whose
/// CIE has no initial instructions.
/// </summary>
internal sealed class CallFrame
{
    public CallFrame(Fragment code, CallFrameMark start, bool simple)
    {
        Code = code;
        Start = start;
        Simple = simple;
    }

    public Fragment Code { get; }

    public CallFrameMark Start { get; }

    public CallFrameMark? End { get; set; }

    public bool Simple { get; }

    public List<CallFrameStep> Steps { get; } = new List<CallFrameStep>();

    /// <summary>The CFA offset as the directives so far leave it (GNU as's cur_cfa_offset), for <c>.cfi_rel_offset</c> and <c>.cfi_adjust_cfa_offset</c>.</summary>
    public long CfaOffset { get; set; }

    /// <summary>CFA offsets <c>.cfi_remember_state</c> saved.</summary>
    public Stack<long> Remembered { get; } = new Stack<long>();
}

/// <summary>
/// The call frames of one declaration and where <c>.cfi_sections</c> sends them (GNU as's default:
/// <c>.eh_frame</c>). The frames become a <c>.debug_frame</c> section once the code is laid out
/// (<see cref="DebugFrameWriter"/>).
/// </summary>
internal sealed class CallFrames
{
    public List<CallFrame> Frames { get; } = new List<CallFrame>();

    /// <summary>The frame between <c>.cfi_startproc</c> and <c>.cfi_endproc</c>, or null.</summary>
    public CallFrame? Open { get; set; }

    public bool ToEhFrame { get; set; } = true;

    /// <summary>Whether a <c>.cfi_startproc</c> has been seen (GNU as's cfi_sections_set): <c>.cfi_sections</c> may no longer change <c>.eh_frame</c>.</summary>
    public bool Started { get; set; }

    /// <summary>
    /// Inside a frame whose <c>.cfi_startproc</c> was refused: its directives up to <c>.cfi_endproc</c>
    /// are dropped, so the one refusal is the only report.
    /// </summary>
    public bool InRefused { get; set; }

    public bool ToDebugFrame { get; set; }
}
