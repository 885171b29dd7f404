using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using EntryModel.Generators.Diagnostics;
using EntryModel.Generators.Emit;
using EntryModel.Generators.Model;
using EntryModel.Generators.Pipeline;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace EntryModel.Generators.Extraction;

/// <summary>
/// The pipeline's first step: reads a <c>[KernelModel]</c> class (symbols and syntax) into a
/// <see cref="ModelSource"/> of plain values, checking the attribute-level rules on the way.
/// Nothing Roslyn-owned survives this step.
/// </summary>
internal static class ModelExtractor
{
    /// <summary>Member names the generator adds besides the strategy properties.</summary>
    private static readonly string[] GeneratedMembers = ["Images", "GetImage"];

    public static ExtractedModel Extract(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var classSyntax = (TypeDeclarationSyntax)context.TargetNode;
        var classLocation = LocationInfo.From(classSyntax.Identifier.GetLocation());
        var diagnostics = new List<DiagnosticInfo>();
        if (context.TargetSymbol is not INamedTypeSymbol type)
        {
            return new ExtractedModel(null, classLocation, EquatableArray<DiagnosticInfo>.Empty);
        }

        if (!type.IsStatic || !classSyntax.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            diagnostics.Add(new DiagnosticInfo(
                DiagnosticIds.ModelNotStaticPartial,
                $"Kernel model '{type.Name}' must be declared 'static partial' so the generator can add its images",
                classLocation));
        }

        if (type.ContainingType is not null || type.Arity > 0)
        {
            diagnostics.Add(new DiagnosticInfo(
                DiagnosticIds.UnsupportedModelShape,
                $"Kernel model '{type.Name}' must be a top-level, non-generic class",
                classLocation));
        }

        if (diagnostics.Count > 0)
        {
            return new ExtractedModel(null, classLocation, new EquatableArray<DiagnosticInfo>(diagnostics));
        }

        var strategies = ReadStrategies(type, classLocation, diagnostics, cancellationToken);
        var sections = ReadSections(type, diagnostics, cancellationToken);
        var declarations = ReadDeclarations(type, diagnostics, cancellationToken);

        var model = new ModelSource(
            type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : string.Empty,
            type.Name,
            classSyntax.SyntaxTree.FilePath,
            strategies,
            sections,
            declarations);
        return new ExtractedModel(model, classLocation, new EquatableArray<DiagnosticInfo>(diagnostics));
    }

    private static EquatableArray<StrategySource> ReadStrategies(INamedTypeSymbol type, LocationInfo? classLocation, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        var strategies = ImmutableArray.CreateBuilder<StrategySource>();
        var names = new HashSet<string>(System.StringComparer.Ordinal);
        var properties = new Dictionary<string, string>(System.StringComparer.Ordinal);
        bool sawAttribute = false;
        foreach (var attribute in type.GetAttributes())
        {
            if (!AttributeArguments.Is(attribute, AttributeNames.FrameStrategy))
            {
                continue;
            }

            sawAttribute = true;
            if (!AttributeArguments.IsWellFormed(attribute))
            {
                continue;
            }

            var location = DeclarationReader.AttributeLocation(attribute, cancellationToken) ?? classLocation;
            string name = AttributeArguments.String(attribute, 0) ?? string.Empty;
            var defines = AttributeArguments.Strings(attribute, 1);
            if (!names.Add(name))
            {
                diagnostics.Add(new DiagnosticInfo(DiagnosticIds.DuplicateStrategy, $"Frame strategy '{name}' is declared more than once on '{type.Name}'", location));
                continue;
            }

            string? property = StrategyPropertyName.Of(name);
            if (property is null)
            {
                diagnostics.Add(new DiagnosticInfo(DiagnosticIds.StrategyNameConflict, $"Frame strategy name '{name}' has no letter or digit to name its image property after", location));
                continue;
            }

            if (properties.TryGetValue(property, out string? other))
            {
                diagnostics.Add(new DiagnosticInfo(DiagnosticIds.StrategyNameConflict, $"Frame strategies '{other}' and '{name}' would both be exposed as property '{property}'", location));
                continue;
            }

            if (System.Array.IndexOf(GeneratedMembers, property) >= 0 || property == type.Name || !type.GetMembers(property).IsEmpty)
            {
                diagnostics.Add(new DiagnosticInfo(DiagnosticIds.StrategyNameConflict, $"Frame strategy '{name}' would be exposed as '{property}', which '{type.Name}' already uses", location));
                continue;
            }

            bool definesOk = true;
            foreach (string define in defines)
            {
                if (string.IsNullOrWhiteSpace(define))
                {
                    diagnostics.Add(new DiagnosticInfo(DiagnosticIds.InvalidAttributeValue, $"Frame strategy '{name}' defines an empty configuration symbol", location));
                    definesOk = false;
                    break;
                }
            }

            if (!definesOk)
            {
                continue;
            }

            properties.Add(property, name);
            strategies.Add(new StrategySource(name, AttributeArguments.NamedString(attribute, "Description", null), new EquatableArray<string>(defines), (int)AttributeArguments.NamedInteger(attribute, "Validation", 0)));
        }

        if (!sawAttribute)
        {
            diagnostics.Add(new DiagnosticInfo(
                DiagnosticIds.NoFrameStrategy,
                $"Kernel model '{type.Name}' declares no [FrameStrategy]; add at least one (e.g. [FrameStrategy(\"none\")]) to get an image",
                classLocation));
        }

        return new EquatableArray<StrategySource>(strategies.ToImmutable());
    }

    private static EquatableArray<SectionSource> ReadSections(INamedTypeSymbol type, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        var sections = ImmutableArray.CreateBuilder<SectionSource>();
        var names = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (var attribute in type.GetAttributes())
        {
            if (!AttributeArguments.Is(attribute, AttributeNames.Section) || !AttributeArguments.IsWellFormed(attribute))
            {
                continue;
            }

            string name = AttributeArguments.String(attribute, 0) ?? string.Empty;
            var location = DeclarationReader.AttributeLocation(attribute, cancellationToken);
            if (string.IsNullOrWhiteSpace(name))
            {
                diagnostics.Add(new DiagnosticInfo(DiagnosticIds.InvalidAttributeValue, "A section name must not be empty", location));
                continue;
            }

            if (!names.Add(name))
            {
                diagnostics.Add(new DiagnosticInfo(DiagnosticIds.DuplicateSection, $"Section '{name}' is declared more than once on '{type.Name}'", location));
                continue;
            }

            ulong address = attribute.ConstructorArguments.Length > 1 ? AttributeArguments.ToULong(attribute.ConstructorArguments[1].Value) : 0;
            int permissions = (int)AttributeArguments.Integer(attribute, 2);
            sections.Add(new SectionSource(name, address, permissions));
        }

        return new EquatableArray<SectionSource>(sections.ToImmutable());
    }

    private static EquatableArray<SourceDeclaration> ReadDeclarations(INamedTypeSymbol type, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        var declarations = ImmutableArray.CreateBuilder<SourceDeclaration>();
        string? syscallEntry = null;
        var vectors = new Dictionary<int, string>();
        foreach (var member in type.GetMembers())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (member is not IFieldSymbol field || field.IsImplicitlyDeclared)
            {
                continue;
            }

            var declaration = DeclarationReader.Read(field, diagnostics, cancellationToken);
            if (declaration is null)
            {
                continue;
            }

            if (declaration.Kind == DeclarationKind.SyscallEntry)
            {
                if (syscallEntry is not null)
                {
                    diagnostics.Add(new DiagnosticInfo(
                        DiagnosticIds.InvalidAttributeValue,
                        $"'{declaration.Name}' is a second [SyscallEntry]; the model already has '{syscallEntry}' (MSR_LSTAR holds one)",
                        DeclarationReader.FieldLocation(field)));
                    continue;
                }

                syscallEntry = declaration.Name;
            }

            if (declaration.Kind == DeclarationKind.IdtEntry)
            {
                if (vectors.TryGetValue(declaration.Vector, out string? other))
                {
                    diagnostics.Add(new DiagnosticInfo(
                        DiagnosticIds.InvalidAttributeValue,
                        $"IDT vector {declaration.Vector} is declared by both '{other}' and '{declaration.Name}'",
                        DeclarationReader.FieldLocation(field)));
                    continue;
                }

                vectors.Add(declaration.Vector, declaration.Name);
            }

            declarations.Add(declaration);
        }

        return new EquatableArray<SourceDeclaration>(declarations.ToImmutable());
    }
}
