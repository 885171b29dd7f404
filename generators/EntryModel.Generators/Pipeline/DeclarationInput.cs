using EntryModel.Generators.Model;

namespace EntryModel.Generators.Pipeline;

/// <summary>
/// One declaration to split. Its location is left out on purpose: moving text around the file
/// (an edit to an earlier field) must not make the splitter run again for this declaration.
/// </summary>
internal sealed record DeclarationInput(string ModelKey, int Index, SourceDeclaration Declaration);
