using System.Collections.Generic;
using System.Text;
using EntryModel.Generators.Model;

namespace EntryModel.Generators.Emit;

/// <summary>
/// Writes the nested class that builds one strategy's <c>KernelImage</c>. Bytes and the numeric
/// parts of symbols, relocations and the line map are <c>ReadOnlySpan</c> properties over constant
/// arrays (the compiler stores those as static data, no boxing, no per-element code); strings sit
/// once in a string table the numeric tables index.
/// </summary>
internal static class ImageBuilderWriter
{
    private const string Ns = "global::EntryModel.";
    private const int SymbolFieldCount = 3;
    private const int RelocationFieldCount = 2;
    private const int LineFieldCount = 7;

    public static void Write(SourceWriter writer, string className, ModelSource model, AssemblyResult result)
    {
        var strings = new StringTable();
        writer.Line($"private static class {className}");
        writer.Open();
        writer.Line($"internal static {Ns}KernelImage Build()");
        writer.Open();
        WriteChunks(writer, result);
        WriteSymbols(writer, result, strings);
        WriteRelocations(writer, result, strings);
        WriteLines(writer, model, result, strings);
        WriteGates(writer, result);

        var defines = new List<string>();
        foreach (string define in result.Defines)
        {
            defines.Add(CSharpLiterals.String(define));
        }

        writer.Line($"return new {Ns}KernelImage(");
        writer.Line($"    {CSharpLiterals.String(model.ClassName)},");
        writer.Line($"    {CSharpLiterals.String(result.Strategy)},");
        writer.Line($"    {CSharpLiterals.String(result.Description)},");
        writer.Line($"    new string[] {{ {string.Join(", ", defines)} }},");
        writer.Line("    chunks,");
        writer.Line($"    new {Ns}SymbolTable(symbols),");
        writer.Line("    relocations,");
        writer.Line("    lines,");
        writer.Line("    idt,");
        writer.Line($"    {CSharpLiterals.String(result.SyscallEntry)});");
        writer.Close();

        for (int i = 0; i < result.Chunks.Count; i++)
        {
            writer.Line();
            WriteBytes(writer, $"Chunk{i}", result.Chunks[i].Bytes);
        }

        writer.Line();
        writer.Line("private static readonly string[] Strings = new string[]");
        writer.Open();
        foreach (string s in strings.Strings)
        {
            writer.Line(CSharpLiterals.String(s) + ",");
        }

        writer.Close(";");
        writer.Close();
    }

    private static void WriteChunks(SourceWriter writer, AssemblyResult result)
    {
        writer.Line($"var chunks = new {Ns}ImageChunk[]");
        writer.Open();
        for (int i = 0; i < result.Chunks.Count; i++)
        {
            var chunk = result.Chunks[i];
            writer.Line($"new {Ns}ImageChunk({CSharpLiterals.String(chunk.Section)}, {CSharpLiterals.Hex(chunk.Address)}, Chunk{i}.ToArray(), ({Ns}SectionPermissions){CSharpLiterals.Int(chunk.Permissions)}),");
        }

        writer.Close(";");
    }

    private static void WriteSymbols(SourceWriter writer, AssemblyResult result, StringTable strings)
    {
        var values = new List<ulong>();
        var fields = new List<long>();
        foreach (var symbol in result.Symbols)
        {
            values.Add(symbol.Address);
            values.Add(symbol.Size);
            fields.Add(strings.IndexOf(symbol.Name));
            fields.Add(symbol.Kind);
            fields.Add(strings.IndexOf(symbol.Section));
        }

        writer.Line("global::System.ReadOnlySpan<ulong> symbolValues = new ulong[] " + Join(values, CSharpLiterals.Hex) + ";");
        writer.Line("global::System.ReadOnlySpan<int> symbolFields = new int[] " + Join(fields, CSharpLiterals.Int) + ";");
        writer.Line($"var symbols = new {Ns}Symbol[symbolFields.Length / {SymbolFieldCount}];");
        writer.Line("for (int i = 0; i < symbols.Length; i++)");
        writer.Open();
        writer.Line($"int f = i * {SymbolFieldCount};");
        writer.Line($"symbols[i] = new {Ns}Symbol(Strings[symbolFields[f]], symbolValues[2 * i], symbolValues[(2 * i) + 1], ({Ns}SymbolKind)symbolFields[f + 1], Strings[symbolFields[f + 2]]);");
        writer.Close();
    }

    private static void WriteRelocations(SourceWriter writer, AssemblyResult result, StringTable strings)
    {
        var addresses = new List<ulong>();
        var addends = new List<long>();
        var fields = new List<long>();
        foreach (var relocation in result.Relocations)
        {
            addresses.Add(relocation.Address);
            addends.Add(relocation.Addend);
            fields.Add(relocation.Kind);
            fields.Add(strings.IndexOf(relocation.Symbol));
        }

        writer.Line("global::System.ReadOnlySpan<ulong> relocationAddresses = new ulong[] " + Join(addresses, CSharpLiterals.Hex) + ";");
        writer.Line("global::System.ReadOnlySpan<long> relocationAddends = new long[] " + Join(addends, CSharpLiterals.Int) + ";");
        writer.Line("global::System.ReadOnlySpan<int> relocationFields = new int[] " + Join(fields, CSharpLiterals.Int) + ";");
        writer.Line($"var relocations = new {Ns}Relocation[relocationAddresses.Length];");
        writer.Line("for (int i = 0; i < relocations.Length; i++)");
        writer.Open();
        writer.Line($"relocations[i] = new {Ns}Relocation(relocationAddresses[i], ({Ns}RelocationKind)relocationFields[{RelocationFieldCount} * i], Strings[relocationFields[({RelocationFieldCount} * i) + 1]], relocationAddends[i]);");
        writer.Close();
    }

    private static void WriteLines(SourceWriter writer, ModelSource model, AssemblyResult result, StringTable strings)
    {
        var addresses = new List<ulong>();
        var fields = new List<long>();
        foreach (var line in result.Lines)
        {
            bool known = line.DeclarationIndex >= 0 && line.DeclarationIndex < model.Declarations.Count;
            var declaration = known ? model.Declarations[line.DeclarationIndex] : null;
            addresses.Add(line.Address);
            fields.Add(line.Length);
            fields.Add(strings.IndexOf(declaration?.Name ?? string.Empty));
            fields.Add(line.Line);
            fields.Add(strings.IndexOf(declaration?.Location.FilePath ?? string.Empty));
            fields.Add(declaration?.Location.FileLineOf(line.Line) ?? 0);
            fields.Add(strings.IndexOf(line.Text));
            fields.Add(strings.IndexOf(line.MacroStack));
        }

        writer.Line("global::System.ReadOnlySpan<ulong> lineAddresses = new ulong[] " + Join(addresses, CSharpLiterals.Hex) + ";");
        writer.Line("global::System.ReadOnlySpan<int> lineFields = new int[] " + Join(fields, CSharpLiterals.Int) + ";");
        writer.Line($"var lines = new {Ns}LineMapEntry[lineAddresses.Length];");
        writer.Line("for (int i = 0; i < lines.Length; i++)");
        writer.Open();
        writer.Line($"int f = i * {LineFieldCount};");
        writer.Line($"lines[i] = new {Ns}LineMapEntry(lineAddresses[i], lineFields[f], Strings[lineFields[f + 1]], lineFields[f + 2], Strings[lineFields[f + 3]], lineFields[f + 4], Strings[lineFields[f + 5]], Strings[lineFields[f + 6]]);");
        writer.Close();
    }

    private static void WriteGates(SourceWriter writer, AssemblyResult result)
    {
        writer.Line($"var idt = new {Ns}IdtGate[]");
        writer.Open();
        foreach (var gate in result.Gates)
        {
            writer.Line(
                $"new {Ns}IdtGate({CSharpLiterals.Int(gate.Vector)}, {CSharpLiterals.String(gate.Stub)}, {CSharpLiterals.Hex(gate.Address)}, " +
                $"{CSharpLiterals.String(gate.Handler)}, {CSharpLiterals.Bool(gate.ErrorCode)}, {CSharpLiterals.Int(gate.Ist)}, " +
                $"{CSharpLiterals.Bool(gate.Interrupt)}, {CSharpLiterals.Int(gate.Dpl)}),");
        }

        writer.Close(";");
    }

    private static void WriteBytes(SourceWriter writer, string name, EquatableArray<byte> values)
    {
        writer.Line($"private static global::System.ReadOnlySpan<byte> {name} => new byte[]");
        writer.Open();
        var line = new StringBuilder();
        for (int i = 0; i < values.Count; i++)
        {
            line.Append("0x").Append(values[i].ToString("x2", System.Globalization.CultureInfo.InvariantCulture)).Append(',');
            if (i % 16 == 15 || i == values.Count - 1)
            {
                writer.Line(line.ToString());
                line.Clear();
            }
            else
            {
                line.Append(' ');
            }
        }

        writer.Close(";");
    }

    private static string Join<T>(List<T> values, System.Func<T, string> format)
    {
        var builder = new StringBuilder("{ ");
        for (int i = 0; i < values.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(", ");
            }

            builder.Append(format(values[i]));
        }

        return builder.Append(" }").ToString();
    }
}
