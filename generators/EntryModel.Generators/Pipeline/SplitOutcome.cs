using EntryModel.Generators.Syntax;

namespace EntryModel.Generators.Pipeline;

/// <summary>A split declaration, or the message of the exception the splitter threw.</summary>
internal sealed record SplitOutcome(string ModelKey, int Index, ParsedDeclaration Parsed, string? InternalError);
