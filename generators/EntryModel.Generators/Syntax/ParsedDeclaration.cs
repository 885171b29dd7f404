using EntryModel.Generators.Model;

namespace EntryModel.Generators.Syntax;

/// <summary>
/// A declaration split into statements. Independent of the strategy (conditionals and macros are
/// resolved when a strategy is assembled), so the pipeline parses each declaration once.
/// </summary>
internal sealed record ParsedDeclaration(SourceDeclaration Source, EquatableArray<GasStatement> Statements, EquatableArray<AsmDiagnostic> Diagnostics);
