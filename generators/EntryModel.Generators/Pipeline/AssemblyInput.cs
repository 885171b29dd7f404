using EntryModel.Generators.Model;
using EntryModel.Generators.Syntax;

namespace EntryModel.Generators.Pipeline;

/// <summary>
/// Everything the assembler reads for one model: the model without text locations (they do not
/// change the image) and its split declarations in field order. <see cref="SplitErrors"/> carries
/// splitter crashes, which stop assembling.
/// </summary>
internal sealed record AssemblyInput(string ModelKey, ModelSource Model, EquatableArray<ParsedDeclaration> Parsed, EquatableArray<string> SplitErrors);
