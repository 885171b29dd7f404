using EntryModel.Generators.Model;
using EntryModel.Generators.Syntax;

namespace EntryModel.Generators.Tests.Extraction;

/// <summary>
/// Stands in for the assembler to see what the pipeline hands it; answers with an empty image so
/// the rest of the pipeline runs.
/// </summary>
internal sealed class ModelSourceCapture
{
    public ModelSource? Model { get; private set; }

    public EquatableArray<ParsedDeclaration> Parsed { get; private set; }

    /// <summary>A splitter stand-in that keeps the text as one unsplit declaration.</summary>
    public static ParsedDeclaration Unsplit(SourceDeclaration declaration) =>
        new(declaration, EquatableArray<GasStatement>.Empty, EquatableArray<AsmDiagnostic>.Empty);

    public AssemblyResult Assemble(ModelSource model, EquatableArray<ParsedDeclaration> parsed, StrategySource strategy)
    {
        Model = model;
        Parsed = parsed;
        return new AssemblyResult(
            strategy.Name, strategy.Description, strategy.Defines,
            EquatableArray<AssembledChunk>.Empty, EquatableArray<AssembledSymbol>.Empty, EquatableArray<AssembledRelocation>.Empty,
            EquatableArray<AssembledLine>.Empty, EquatableArray<AssembledGate>.Empty, null, EquatableArray<AsmDiagnostic>.Empty, EquatableArray<AssembledConstant>.Empty);
    }
}
