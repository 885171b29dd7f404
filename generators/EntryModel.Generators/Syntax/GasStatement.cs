namespace EntryModel.Generators.Syntax;

/// <summary>
/// One statement of GAS text: comments removed, split at newlines and ';'. <see cref="Offset"/> is
/// where <see cref="Text"/> starts in the declaration's string value; <see cref="Line"/> is 0-based.
/// </summary>
internal sealed record GasStatement(int Offset, string Text, int Line);
