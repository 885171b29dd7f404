using System.Reflection;
using EntryModel.Kernel;

namespace EntryModel.Kernel.Tests.Oracles;

/// <summary>One declaration of the default model as its attribute and GAS text say.</summary>
internal sealed record ModelDeclaration(GasCodeAttribute Attribute, string Text)
{
    public string Name => Attribute.Name;

    /// <summary>The text with an IDT entry's <c>\handler</c>, <c>\vector</c>... substituted, as the generator does.</summary>
    public string ExpandedText => Attribute is IdtEntryAttribute idt
        ? Text.Replace("\\handler", idt.Handler ?? string.Empty, StringComparison.Ordinal)
              .Replace("\\error_code", idt.ErrorCode ? "1" : "0", StringComparison.Ordinal)
              .Replace("\\vector", "0x" + idt.Vector.ToString("x", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
              .Replace("\\ist", idt.Ist.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
              .Replace("\\name", idt.Name, StringComparison.Ordinal)
        : Text;
}

/// <summary>Reads the default model's declarations, macros, sections and strategies from its attributes.</summary>
internal static class KernelModelText
{
    private static readonly FieldInfo[] Fields = typeof(DefaultKernel).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral)
        .OrderBy(f => f.MetadataToken)
        .ToArray();

    public static IReadOnlyList<string> Macros { get; } =
        [.. Fields.Where(f => f.GetCustomAttribute<GasMacrosAttribute>() is not null).Select(f => (string)f.GetRawConstantValue()!)];

    public static IReadOnlyList<ModelDeclaration> Declarations { get; } =
        [.. Fields.Select(f => (f, a: f.GetCustomAttribute<GasCodeAttribute>())).Where(x => x.a is not null).Select(x => new ModelDeclaration(x.a!, (string)x.f.GetRawConstantValue()!))];

    public static IReadOnlyList<FrameStrategyAttribute> Strategies { get; } = [.. typeof(DefaultKernel).GetCustomAttributes<FrameStrategyAttribute>()];

    public static IReadOnlyList<SectionAttribute> Sections { get; } = [.. typeof(DefaultKernel).GetCustomAttributes<SectionAttribute>()];

    public static FrameStrategyAttribute Strategy(string name) => Strategies.Single(s => s.Name == name);
}
