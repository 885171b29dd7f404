using System.Globalization;
using Microsoft.CodeAnalysis.CSharp;

namespace EntryModel.Generators.Emit;

/// <summary>C# literal text for values written into generated code.</summary>
internal static class CSharpLiterals
{
    public static string String(string? value) => value is null ? "null" : SymbolDisplay.FormatLiteral(value, quote: true);

    public static string Hex(ulong value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture) + "UL";

    public static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Bool(bool value) => value ? "true" : "false";

    /// <summary>Text safe inside an XML doc comment on one line.</summary>
    public static string XmlText(string value) =>
        value.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\r", " ").Replace("\n", " ");
}
