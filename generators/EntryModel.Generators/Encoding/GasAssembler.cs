using EntryModel.Generators.Model;

namespace EntryModel.Generators.Encoding;

/// <summary>
/// The assembler core: one strategy of a model, from GAS text to an image. Pure and deterministic,
/// so the incremental pipeline can cache it and tests can call it without Roslyn.
/// </summary>
internal static class GasAssembler
{
    public static AssemblyResult Assemble(ModelSource model, StrategySource strategy)
    {
        throw new System.NotImplementedException("being written");
    }
}
