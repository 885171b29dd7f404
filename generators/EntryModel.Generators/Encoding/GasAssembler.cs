using EntryModel.Generators.Model;
using EntryModel.Generators.Syntax;

namespace EntryModel.Generators.Encoding;

/// <summary>
/// The assembler core: one strategy of a model, from GAS text to an image. Pure and deterministic,
/// so the incremental pipeline can cache it and tests can call it without Roslyn.
/// </summary>
internal static class GasAssembler
{
    /// <summary>Assembles <paramref name="parsed"/> (parallel to <c>model.Declarations</c>) under one strategy.</summary>
    public static AssemblyResult Assemble(ModelSource model, EquatableArray<ParsedDeclaration> parsed, StrategySource strategy)
    {
        throw new System.NotImplementedException("being written");
    }
}
