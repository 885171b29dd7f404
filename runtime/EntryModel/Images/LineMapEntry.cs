namespace EntryModel;

/// <summary>
/// Maps one assembled instruction (or data directive) back to the declaration and line that produced
/// it; <see cref="MacroStack"/> names the macros it was expanded through, outermost first.
/// </summary>
public readonly record struct LineMapEntry(
    ulong Address,
    int Length,
    string Declaration,
    int Line,
    string File,
    int FileLine,
    string Text,
    string MacroStack);
