using System;
using EntryModel.Generators.Model;
using EntryModel.Generators.Validation;

namespace EntryModel.Generators.Emit;

/// <summary>
/// Writes the nested class that builds one strategy's <c>KernelImage</c>: the image as one base64
/// string (<see cref="ImageBlobWriter"/>) decoded once by the runtime's <c>KernelImageBlob</c>.
/// </summary>
internal static class ImageClassWriter
{
    public static void Write(SourceWriter writer, string className, ModelSource model, AssemblyResult result, TextValidation? validation)
    {
        var blob = ImageBlobWriter.Write(model, result, validation);
        writer.Line($"private static class {className}");
        writer.Open();
        writer.Line($"// {result.Chunks.Count} chunk(s), {result.Symbols.Count} symbols, {result.Relocations.Count} relocations, {result.Lines.Count} line-map entries, {result.Gates.Count} IDT gates; {blob.Length} bytes.");
        writer.Line("internal static global::EntryModel.KernelImage Build() => global::EntryModel.KernelImageBlob.Read(Blob);");
        writer.Line();
        writer.Line("private const string Blob = \"" + Convert.ToBase64String(blob) + "\";");
        writer.Close();
    }
}
