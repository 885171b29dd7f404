using System.Threading;
using EntryModel.Generators.Diagnostics;
using Microsoft.CodeAnalysis;

namespace EntryModel.Generators.Extraction;

/// <summary>
/// A declaration attribute on a field of a class that is not a <c>[KernelModel]</c> would be
/// silently ignored; this check turns it into a diagnostic.
/// </summary>
internal static class OrphanDeclarationCheck
{
    public static DiagnosticInfo? Check(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not IFieldSymbol { ContainingType: { } container } field || context.Attributes.IsEmpty)
        {
            return null;
        }

        foreach (var attribute in container.GetAttributes())
        {
            if (AttributeArguments.Is(attribute, AttributeNames.KernelModel))
            {
                return null;
            }
        }

        var applied = context.Attributes[0];

        // [GasFile] next to a declaration attribute: that attribute's own check reports the field once.
        if (AttributeArguments.Is(applied, AttributeNames.GasFile))
        {
            foreach (var attribute in field.GetAttributes())
            {
                if (DeclarationReader.IsDeclarationAttribute(attribute))
                {
                    return null;
                }
            }
        }

        return new DiagnosticInfo(
            DiagnosticIds.DeclarationOutsideModel,
            $"Field '{field.Name}' carries [{applied.AttributeClass?.Name}] but '{container.Name}' is not a [KernelModel] class, so nothing would assemble it",
            DeclarationReader.AttributeLocation(applied, cancellationToken) ?? DeclarationReader.FieldLocation(field));
    }
}
