using System.Text.RegularExpressions;
using EntryModel.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace EntryModel.Benchmarks;

/// <summary>
/// What the generator benchmarks share: a compilation of a model file with the references a
/// [KernelModel] needs, a fresh Roslyn driver running the generator, and the images it emitted.
/// </summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    /// <summary>A library compilation of one model file.</summary>
    public static CSharpCompilation Compile(string source, string path) => CSharpCompilation.Create(
        "Bench",
        [CSharpSyntaxTree.ParseText(source, ParseOptions, path)],
        References(),
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    /// <summary>The same compilation with its one model file replaced by <paramref name="source"/>.</summary>
    public static CSharpCompilation WithSource(CSharpCompilation compilation, string source, string path) =>
        compilation.ReplaceSyntaxTree(compilation.SyntaxTrees.Single(), CSharpSyntaxTree.ParseText(source, ParseOptions, path));

    public static CSharpGeneratorDriver NewDriver(params AdditionalText[] additionalTexts) =>
        CSharpGeneratorDriver.Create([new EntryModelGenerator().AsSourceGenerator()], additionalTexts, ParseOptions);

    /// <summary>Runs a driver; returns it (warm) with every error the generation and the updated compilation report.</summary>
    public static GeneratorDriver Run(GeneratorDriver driver, Compilation compilation, out List<Diagnostic> errors)
    {
        var warm = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        errors = [.. diagnostics.Concat(output.GetDiagnostics()).Where(d => d.Severity == DiagnosticSeverity.Error)];
        return warm;
    }

    /// <summary>The images (one per frame strategy) in the driver's generated source.</summary>
    public static List<KernelImage> Images(GeneratorDriver driver)
    {
        string generated = driver.GetRunResult().GeneratedTrees.Single().ToString();
        return [.. Regex.Matches(generated, "Blob = \"([A-Za-z0-9+/=]+)\"").Select(m => KernelImageBlob.Read(m.Groups[1].Value))];
    }

    /// <summary>An AdditionalFiles item held in memory (a [GasFile] source).</summary>
    public sealed class InMemoryText(string path, string text) : AdditionalText
    {
        private readonly Microsoft.CodeAnalysis.Text.SourceText source = Microsoft.CodeAnalysis.Text.SourceText.From(text);

        public override string Path => path;

        public override Microsoft.CodeAnalysis.Text.SourceText GetText(CancellationToken cancellationToken = default) => source;
    }

    private static MetadataReference[] References()
    {
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "netstandard.dll")
            .Append(typeof(KernelModelAttribute).Assembly.Location)
            .Select(Path.GetFullPath)
            .Distinct(StringComparer.Ordinal);
        return [.. paths.Select(p => MetadataReference.CreateFromFile(p))];
    }
}
