using System;
using System.Linq;
using EntryModel.Generators.Model;
using EntryModel.Generators.Syntax;

namespace EntryModel.Generators.Pipeline;

/// <summary>
/// Splits one declaration and stamps its index on the splitter's diagnostics: the splitter sees a
/// single declaration and cannot know where it sits in the model, the pipeline can.
/// </summary>
internal static class DeclarationSplitting
{
    public static ParsedDeclaration Split(Func<SourceDeclaration, ParsedDeclaration> split, SourceDeclaration declaration, int index)
    {
        var parsed = split(declaration);
        if (parsed.Diagnostics.Items.All(d => d.DeclarationIndex == index))
        {
            return parsed;
        }

        return parsed with { Diagnostics = new EquatableArray<AsmDiagnostic>(parsed.Diagnostics.Items.Select(d => d with { DeclarationIndex = index })) };
    }
}
