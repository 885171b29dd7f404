using System.Collections.Generic;
using System.Threading;
using EntryModel.Generators.Diagnostics;
using EntryModel.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace EntryModel.Generators.Extraction;

/// <summary>Turns one attributed field of a model into a <see cref="SourceDeclaration"/>, or says why it cannot.</summary>
internal static class DeclarationReader
{
    private const int EntrySymbolKind = 1;
    private const int MaxSymbolKind = 4;

    /// <summary>
    /// Reads <paramref name="field"/>. Returns null when the field is not a declaration or is a bad one
    /// (the reason is added to <paramref name="diagnostics"/>).
    /// </summary>
    public static SourceDeclaration? Read(IFieldSymbol field, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        AttributeData? attribute = null;
        AttributeData? gasFile = null;
        foreach (var candidate in field.GetAttributes())
        {
            if (AttributeArguments.Is(candidate, AttributeNames.GasFile))
            {
                gasFile = candidate;
                continue;
            }

            if (!IsDeclarationAttribute(candidate))
            {
                continue;
            }

            if (attribute is not null)
            {
                diagnostics.Add(new DiagnosticInfo(
                    DiagnosticIds.ConflictingDeclarationAttributes,
                    $"Field '{field.Name}' carries both [{ShortName(attribute)}] and [{ShortName(candidate)}]; a field declares one thing",
                    AttributeLocation(candidate, cancellationToken) ?? FieldLocation(field)));
                return null;
            }

            attribute = candidate;
        }

        if (attribute is null)
        {
            if (gasFile is not null)
            {
                diagnostics.Add(new DiagnosticInfo(
                    DiagnosticIds.GasFileWithoutDeclaration,
                    $"Field '{field.Name}' carries [GasFile] but no [GasCode], [IdtEntry], [SyscallEntry] or [GasMacros] saying what the file declares",
                    AttributeLocation(gasFile, cancellationToken) ?? FieldLocation(field)));
            }

            return null;
        }

        if (!field.IsConst || field.Type.SpecialType != SpecialType.System_String)
        {
            diagnostics.Add(new DiagnosticInfo(
                DiagnosticIds.DeclarationNotConstString,
                $"Field '{field.Name}' carries [{ShortName(attribute)}] but is not a const string; GAS text must be a compile-time constant",
                FieldLocation(field)));
            return null;
        }

        // A const whose value the compiler could not compute (a malformed literal) is skipped
        // rather than read as empty text: the compiler reports it, and an empty body would be a wrong image.
        if (!AttributeArguments.IsWellFormed(attribute)
            || !field.HasConstantValue
            || field.DeclaringSyntaxReferences.Length == 0
            || field.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not VariableDeclaratorSyntax { Initializer.Value: { } initializer } declarator)
        {
            // The compiler reports malformed attributes and missing initializers itself.
            return null;
        }

        string text = field.ConstantValue as string ?? string.Empty;
        var attributeLocation = AttributeLocation(attribute, cancellationToken) ?? FieldLocation(field);
        if (gasFile is not null)
        {
            return ReadFileDeclaration(field, attribute, gasFile, text, attributeLocation, diagnostics, cancellationToken);
        }

        var tree = declarator.SyntaxTree;
        var location = LiteralLocator.Locate(initializer, text, tree.GetText(cancellationToken), tree.FilePath);
        return Build(field, attribute, text, location, attributeLocation, diagnostics);
    }

    /// <summary>
    /// A declaration whose text is a file: read later from AdditionalFiles, so for now its text is
    /// empty and its location is the path argument (where a missing file is reported).
    /// </summary>
    private static SourceDeclaration? ReadFileDeclaration(IFieldSymbol field, AttributeData attribute, AttributeData gasFile, string fieldText, LocationInfo? attributeLocation, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        if (!AttributeArguments.IsWellFormed(gasFile)
            || gasFile.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is not AttributeSyntax { ArgumentList.Arguments.Count: > 0 } applied)
        {
            // The compiler reports a malformed attribute itself.
            return null;
        }

        var argument = applied.ArgumentList!.Arguments[0].Expression;
        var gasFileLocation = LocationInfo.From(applied);
        string path = AttributeArguments.String(gasFile, 0) ?? string.Empty;
        if (string.IsNullOrWhiteSpace(path))
        {
            diagnostics.Add(new DiagnosticInfo(DiagnosticIds.InvalidAttributeValue, $"Field '{field.Name}': the [GasFile] path must not be empty", gasFileLocation));
            return null;
        }

        if (fieldText.Length > 0)
        {
            diagnostics.Add(new DiagnosticInfo(
                DiagnosticIds.GasFileFieldHasText,
                $"Field '{field.Name}' takes its text from '{path}'; its own value is ignored (leave it \"\")",
                FieldLocation(field)));
        }

        var tree = applied.SyntaxTree;
        var location = LiteralLocator.Locate(argument, path, tree.GetText(cancellationToken), tree.FilePath);
        return Build(field, attribute, string.Empty, location, attributeLocation, diagnostics) is { } declaration
            ? declaration with { GasFile = path }
            : null;
    }

    public static bool IsDeclarationAttribute(AttributeData attribute)
    {
        foreach (string name in AttributeNames.Declarations)
        {
            if (AttributeArguments.Is(attribute, name))
            {
                return true;
            }
        }

        return false;
    }

    public static LocationInfo? FieldLocation(IFieldSymbol field) =>
        field.Locations.Length > 0 ? LocationInfo.From(field.Locations[0]) : null;

    public static LocationInfo? AttributeLocation(AttributeData attribute, CancellationToken cancellationToken) =>
        LocationInfo.From(attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken));

    private static SourceDeclaration? Build(IFieldSymbol field, AttributeData attribute, string text, TextLocation location, LocationInfo? attributeLocation, List<DiagnosticInfo> diagnostics)
    {
        int before = diagnostics.Count;
        void Invalid(string message) => diagnostics.Add(new DiagnosticInfo(DiagnosticIds.InvalidAttributeValue, message, attributeLocation));

        if (AttributeArguments.Is(attribute, AttributeNames.GasMacros))
        {
            return new SourceDeclaration(DeclarationKind.Macros, field.Name, 0, 0, 0, 16, ".text", 0, false, null, 0, false, 0, text, location);
        }

        bool isIdt = AttributeArguments.Is(attribute, AttributeNames.IdtEntry);
        bool isSyscall = AttributeArguments.Is(attribute, AttributeNames.SyscallEntry);
        var kind = isIdt ? DeclarationKind.IdtEntry : isSyscall ? DeclarationKind.SyscallEntry : DeclarationKind.Code;
        bool entryDefaults = isIdt || isSyscall;

        string name = AttributeArguments.String(attribute, 0) ?? string.Empty;
        int symbolKind = (int)AttributeArguments.NamedInteger(attribute, "Kind", entryDefaults ? EntrySymbolKind : 0);
        ulong address = AttributeArguments.NamedUnsigned(attribute, "Address");
        long size = AttributeArguments.NamedInteger(attribute, "Size", 0);
        long align = AttributeArguments.NamedInteger(attribute, "Align", 16);
        string section = AttributeArguments.NamedString(attribute, "Section", entryDefaults ? ".entry.text" : ".text") ?? string.Empty;
        long vector = isIdt ? AttributeArguments.Integer(attribute, 1) : 0;
        long ist = AttributeArguments.NamedInteger(attribute, "Ist", 0);
        long dpl = AttributeArguments.NamedInteger(attribute, "Dpl", 0);

        if (string.IsNullOrWhiteSpace(name))
        {
            Invalid($"Field '{field.Name}': the symbol name must not be empty");
        }

        if (symbolKind < 0 || symbolKind > MaxSymbolKind)
        {
            Invalid($"Field '{field.Name}': Kind {symbolKind} is not a SymbolKind");
        }

        if (size < 0 || size > int.MaxValue)
        {
            Invalid($"Field '{field.Name}': Size {size} must be 0 (as long as the code) or positive");
        }

        if (align <= 0 || align > int.MaxValue || (align & (align - 1)) != 0)
        {
            Invalid($"Field '{field.Name}': Align {align} must be a positive power of two");
        }

        if (string.IsNullOrWhiteSpace(section))
        {
            Invalid($"Field '{field.Name}': Section must not be empty");
        }

        if (vector < 0 || vector > 255)
        {
            Invalid($"Field '{field.Name}': IDT vector {vector} must be 0..255");
        }

        if (ist < 0 || ist > 7)
        {
            Invalid($"Field '{field.Name}': Ist {ist} must be 0 (none) or 1..7");
        }

        if (dpl < 0 || dpl > 3)
        {
            Invalid($"Field '{field.Name}': Dpl {dpl} must be 0..3");
        }

        if (diagnostics.Count != before)
        {
            return null;
        }

        return new SourceDeclaration(
            kind,
            name,
            symbolKind,
            address,
            (int)size,
            (int)align,
            section,
            (int)vector,
            isIdt && AttributeArguments.NamedBool(attribute, "ErrorCode"),
            isIdt ? AttributeArguments.NamedString(attribute, "Handler", null) : null,
            (int)ist,
            isIdt && AttributeArguments.NamedBool(attribute, "Interrupt"),
            (int)dpl,
            text,
            location);
    }

    private static string ShortName(AttributeData attribute)
    {
        string name = attribute.AttributeClass?.Name ?? "?";
        return name.EndsWith("Attribute", System.StringComparison.Ordinal) ? name.Substring(0, name.Length - "Attribute".Length) : name;
    }
}
