namespace EntryModel.Generators.Model;

/// <summary>
/// One attributed field, reduced to values: what it declares, its GAS text, and where that text
/// lives in the C# file so diagnostics can point inside the string literal.
/// </summary>
/// <param name="Kind">Which attribute declared it.</param>
/// <param name="Name">Symbol name (the field name for macro declarations).</param>
/// <param name="SymbolKind">The runtime's <c>SymbolKind</c> as an int.</param>
/// <param name="Address">Fixed start address, or 0.</param>
/// <param name="Size">Fixed size, or 0.</param>
/// <param name="Align">Alignment when not fixed.</param>
/// <param name="Section">Section name.</param>
/// <param name="Vector">IDT vector (IDT entries only).</param>
/// <param name="ErrorCode">Whether the CPU pushes an error code (IDT entries only).</param>
/// <param name="Handler">Handler symbol (IDT entries only).</param>
/// <param name="Ist">IST index (IDT entries only).</param>
/// <param name="Interrupt">External interrupt rather than exception.</param>
/// <param name="Dpl">Gate descriptor privilege level.</param>
/// <param name="Text">The GAS text, as the string's value (empty for a <c>[GasFile]</c> declaration until its file is read).</param>
/// <param name="Location">Where the text's characters are in the C# source (for a <c>[GasFile]</c> declaration, its path argument until the file is read).</param>
internal sealed record SourceDeclaration(
    DeclarationKind Kind,
    string Name,
    int SymbolKind,
    ulong Address,
    int Size,
    int Align,
    string Section,
    int Vector,
    bool ErrorCode,
    string? Handler,
    int Ist,
    bool Interrupt,
    int Dpl,
    string Text,
    TextLocation Location)
{
    /// <summary>The path <c>[GasFile]</c> names, or null when the text is the field's own.</summary>
    public string? GasFile { get; init; }

    /// <summary>What the text is assembled for: 64-bit code (as <c>--64</c>, the default) or 32-bit (as <c>--32</c>).</summary>
    public EntryModel.Generators.Public.ObjectFileMachine Machine { get; init; }
}
