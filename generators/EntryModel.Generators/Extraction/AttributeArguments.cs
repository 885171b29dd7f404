using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;

namespace EntryModel.Generators.Extraction;

/// <summary>Reads constructor and named arguments of an attribute application as plain values.</summary>
internal static class AttributeArguments
{
    public static bool Is(AttributeData attribute, string metadataName) =>
        attribute.AttributeClass is { } type && FullName(type) == metadataName;

    public static string FullName(INamedTypeSymbol type) =>
        type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() + "." + type.MetadataName : type.MetadataName;

    /// <summary>Whether the compiler could bind every argument (if not, it reports the error itself).</summary>
    public static bool IsWellFormed(AttributeData attribute)
    {
        if (attribute.AttributeClass is null || attribute.AttributeClass.TypeKind == TypeKind.Error)
        {
            return false;
        }

        foreach (var argument in attribute.ConstructorArguments)
        {
            if (argument.Kind == TypedConstantKind.Error)
            {
                return false;
            }
        }

        foreach (var argument in attribute.NamedArguments)
        {
            if (argument.Value.Kind == TypedConstantKind.Error)
            {
                return false;
            }
        }

        return true;
    }

    public static string? String(AttributeData attribute, int index) =>
        index < attribute.ConstructorArguments.Length ? attribute.ConstructorArguments[index].Value as string : null;

    public static long Integer(AttributeData attribute, int index) =>
        index < attribute.ConstructorArguments.Length ? ToLong(attribute.ConstructorArguments[index].Value) : 0;

    public static ImmutableArray<string> Strings(AttributeData attribute, int index)
    {
        if (index >= attribute.ConstructorArguments.Length || attribute.ConstructorArguments[index].Kind != TypedConstantKind.Array)
        {
            return ImmutableArray<string>.Empty;
        }

        var builder = ImmutableArray.CreateBuilder<string>();
        foreach (var item in attribute.ConstructorArguments[index].Values)
        {
            builder.Add(item.Value as string ?? string.Empty);
        }

        return builder.ToImmutable();
    }

    public static bool TryNamed(AttributeData attribute, string name, out TypedConstant value)
    {
        foreach (KeyValuePair<string, TypedConstant> named in attribute.NamedArguments)
        {
            if (named.Key == name)
            {
                value = named.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    public static string? NamedString(AttributeData attribute, string name, string? fallback) =>
        TryNamed(attribute, name, out var value) ? value.Value as string : fallback;

    public static long NamedInteger(AttributeData attribute, string name, long fallback) =>
        TryNamed(attribute, name, out var value) ? ToLong(value.Value) : fallback;

    public static ulong NamedUnsigned(AttributeData attribute, string name) =>
        TryNamed(attribute, name, out var value) ? ToULong(value.Value) : 0;

    public static bool NamedBool(AttributeData attribute, string name) =>
        TryNamed(attribute, name, out var value) && value.Value is true;

    public static ulong ToULong(object? value) => value switch
    {
        null => 0,
        ulong u => u,
        long l => unchecked((ulong)l),
        _ => unchecked((ulong)System.Convert.ToInt64(value, CultureInfo.InvariantCulture)),
    };

    private static long ToLong(object? value) => value switch
    {
        null => 0,
        ulong u => unchecked((long)u),
        _ => System.Convert.ToInt64(value, CultureInfo.InvariantCulture),
    };
}
