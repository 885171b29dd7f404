namespace EntryModel.Generators.Validation;

/// <summary>
/// The frame and stack rules validation enforces, after objtool's. Each has its own diagnostic id
/// (<see cref="Diagnostics.DiagnosticIds"/>); the finding keeps objtool's own message text.
/// </summary>
internal enum ValidationRule
{
    /// <summary>A call from a function before it saved %rbp and pointed it at its frame (frame-pointer builds).</summary>
    CallWithoutFrame,

    /// <summary>A return with the CFA, the stack depth or a saved register not as at entry.</summary>
    ReturnWithModifiedFrame,

    /// <summary>Two paths reach an instruction with different CFAs, types or DRAP states.</summary>
    StackStateMismatch,

    /// <summary>Two paths reach an instruction with a register (%rbp above all) saved differently.</summary>
    FramePointerMismatch,

    /// <summary>An instruction of a function no path reaches.</summary>
    UnreachableInstruction,

    /// <summary>A stack operation where the CFA is unknown.</summary>
    UndefinedStackState,

    /// <summary>A change to the stack pointer or CFA register validation cannot follow.</summary>
    UnsupportedStackPointerUse,

    /// <summary>Code outside functions that no hint or branch reaches, or a context switch in a function with no hint after it.</summary>
    MissingHint,

    /// <summary>A path runs off the end of a function into the next one.</summary>
    FallsThrough,

    /// <summary>A tail call with the stack frame not as at entry.</summary>
    SiblingCallWithModifiedFrame,

    /// <summary>%rbp pushed and changed outside a frame in a function, found at its return.</summary>
    BpScratch,

    /// <summary>A path runs off the end of its section with a known CFA.</summary>
    EndOfSection,

    /// <summary>The direction flag set across a call or return, or set and cleared twice.</summary>
    DirectionFlag,

    /// <summary>An unwind hint that is malformed, names no instruction, or a restore without its save.</summary>
    BadHint,

    /// <summary>A branch or call whose destination is not an instruction or symbol, or bytes that do not decode.</summary>
    BadDestination,
}
