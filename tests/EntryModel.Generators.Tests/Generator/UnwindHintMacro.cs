namespace EntryModel.Generators.Tests.Generator;

/// <summary>
/// The kernel's unwind hint record (struct unwind_hint) as a GAS macro for test models: a
/// self-relative reference to the next instruction, the CFA's ORC register and offset, type, end.
/// </summary>
internal static class UnwindHintMacro
{
    public const string Text = """
        .macro HINT type, reg, offset=0, end=0
        771:
        .pushsection .discard.unwind_hints
        .long 771b - .
        .short \offset
        .byte \reg
        .byte \type
        .byte \end
        .balign 4
        .popsection
        .endm
        """;

    /// <summary>The macro with every line indented, to sit inside a raw string literal of a test model.</summary>
    public static string Indented(string indent) => indent + Text.Replace("\n", "\n" + indent, StringComparison.Ordinal);
}
