using EntryModel.Generators.Model;

namespace EntryModel.Generators.Pipeline;

/// <summary>
/// One declaration with its text in hand: the field's, or its <c>[GasFile]</c>'s with the file's
/// location (which replaces the C# one when diagnostics are placed), or the problems finding the file.
/// </summary>
internal sealed record ResolvedDeclaration(string ModelKey, int Index, SourceDeclaration Declaration, TextLocation? FileLocation, EquatableArray<AsmDiagnostic> Problems);
