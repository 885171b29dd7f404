using EntryModel.Generators.Model;

namespace EntryModel.Generators.Syntax;

/// <summary>Splits GAS text into statements, removing comments and keeping offsets.</summary>
internal static class StatementSplitter
{
    public static ParsedDeclaration Split(SourceDeclaration declaration)
    {
        throw new System.NotImplementedException("being written");
    }
}
