using System.Collections.Immutable;
using System.Reflection;
using EntryModel.Generators.Model;
using EntryModel.Generators.Syntax;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace EntryModel.Generators.Tests.Generator;

/// <summary>
/// Runs <see cref="EntryModelGenerator"/> the way the compiler does: over C# source text, against
/// the runtime's EntryModel assembly and the platform, with the consumer's settings (nullable on,
/// every warning an error).
/// </summary>
internal static class GeneratorHarness
{
    public const string ModelPath = "/src/Model.cs";

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(LoadReferences);

    public static CSharpCompilation Compile(params string[] sources) => Compile(sources.Select((s, i) => (i == 0 ? ModelPath : $"/src/File{i}.cs", s)).ToArray());

    public static CSharpCompilation Compile(params (string Path, string Source)[] files)
    {
        var trees = files.Select(f => CSharpSyntaxTree.ParseText(f.Source, ParseOptions, f.Path)).ToArray();
        var options = new CSharpCompilationOptions(
            OutputKind.DynamicallyLinkedLibrary,
            nullableContextOptions: NullableContextOptions.Enable,
            generalDiagnosticOption: ReportDiagnostic.Error);
        return CSharpCompilation.Create("Consumer", trees, References.Value, options);
    }

    public static GeneratorDriver Driver(IIncrementalGenerator generator, AnalyzerConfigOptionsProvider? options = null, IEnumerable<AdditionalText>? additionalTexts = null) =>
        CSharpGeneratorDriver.Create(
            [generator.AsSourceGenerator()],
            additionalTexts: additionalTexts,
            parseOptions: ParseOptions,
            optionsProvider: options,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the real generator once over <paramref name="sources"/>.</summary>
    public static GeneratorOutcome Run(params string[] sources) => Run(new EntryModelGenerator(), sources);

    public static GeneratorOutcome Run(IIncrementalGenerator generator, params string[] sources) => Run(generator, null, sources);

    /// <summary>
    /// Runs <paramref name="generator"/> with the consumer's MSBuild properties, as the compiler
    /// passes them (<c>build_property.Name</c> for each visible property).
    /// </summary>
    public static GeneratorOutcome Run(IIncrementalGenerator generator, IReadOnlyDictionary<string, string>? msbuildProperties, params string[] sources) =>
        Run(generator, msbuildProperties, [], sources);

    /// <summary>Runs the real generator with the project's <c>AdditionalFiles</c> items (what <c>[GasFile]</c> names).</summary>
    public static GeneratorOutcome Run(IEnumerable<AdditionalText> additionalTexts, params string[] sources) =>
        Run(new EntryModelGenerator(), null, additionalTexts, sources);

    public static GeneratorOutcome Run(IIncrementalGenerator generator, IReadOnlyDictionary<string, string>? msbuildProperties, IEnumerable<AdditionalText> additionalTexts, params string[] sources)
    {
        var compilation = Compile(sources);
        var options = msbuildProperties is null ? null : new MsBuildProperties(msbuildProperties);
        var driver = Driver(generator, options, additionalTexts).RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        return new GeneratorOutcome(driver, output, diagnostics);
    }

    /// <summary>
    /// A generator whose splitter or assembler is replaced, to reach paths the real core never takes.
    /// A replaced assembler stands in for the link step (declarations are still assembled for real).
    /// </summary>
    public static EntryModelGenerator With(
        Func<SourceDeclaration, ParsedDeclaration>? split = null,
        Func<ModelSource, EquatableArray<ParsedDeclaration>, StrategySource, AssemblyResult>? assemble = null) =>
        new(
            split ?? StatementSplitter.Split,
            EntryModel.Generators.Encoding.GasAssembler.AssembleObject,
            assemble is null ? EntryModel.Generators.Encoding.GasAssembler.Link : (m, p, _, s) => assemble(m, p, s));

    /// <summary>A generator whose per-declaration assembly is replaced.</summary>
    public static EntryModelGenerator WithObjects(Func<EntryModel.Generators.Encoding.ObjectInput, EntryModel.Generators.Encoding.DeclarationObject> assembleObject) =>
        new(StatementSplitter.Split, assembleObject, EntryModel.Generators.Encoding.GasAssembler.Link);

    /// <summary>Emits <paramref name="compilation"/> and loads it, failing the test on any compile error.</summary>
    public static Assembly Load(Compilation compilation)
    {
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream);
        Assert.That(result.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning), Is.Empty, "generated code must compile without warnings");
        Assert.That(result.Success, Is.True);
        return Assembly.Load(stream.ToArray());
    }

    /// <summary>The value of a public static property of a loaded model class.</summary>
    public static object? StaticProperty(Assembly assembly, string type, string property) =>
        assembly.GetType(type, throwOnError: true)!.GetProperty(property, BindingFlags.Public | BindingFlags.Static)!.GetValue(null);

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var paths = new HashSet<string>(StringComparer.Ordinal);
        foreach (string path in ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator))
        {
            string name = Path.GetFileName(path);
            if (name.StartsWith("System.", StringComparison.Ordinal) || name is "mscorlib.dll" or "netstandard.dll")
            {
                paths.Add(Path.GetFullPath(path));
            }
        }

        paths.Add(Path.GetFullPath(typeof(KernelModelAttribute).Assembly.Location));
        return [.. paths.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    }
}

/// <summary>MSBuild properties as the compiler hands them to generators: global options named <c>build_property.Name</c>.</summary>
internal sealed class MsBuildProperties(IReadOnlyDictionary<string, string> properties) : AnalyzerConfigOptionsProvider
{
    private readonly Options global = new(properties.ToDictionary(p => "build_property." + p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase));

    public override AnalyzerConfigOptions GlobalOptions => global;

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Options.Empty;

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Options.Empty;

    private sealed class Options(Dictionary<string, string> values) : AnalyzerConfigOptions
    {
        public static readonly Options Empty = new([]);

        public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
    }
}

/// <summary>An <c>AdditionalFiles</c> item as the compiler hands it to generators: a path and its text.</summary>
internal sealed class InMemoryAdditionalText(string path, string text) : AdditionalText
{
    private readonly Microsoft.CodeAnalysis.Text.SourceText source = Microsoft.CodeAnalysis.Text.SourceText.From(text);

    public override string Path => path;

    public override Microsoft.CodeAnalysis.Text.SourceText GetText(CancellationToken cancellationToken = default) => source;
}

/// <summary>What one generator run produced.</summary>
internal sealed record GeneratorOutcome(GeneratorDriver Driver, Compilation Output, ImmutableArray<Diagnostic> Diagnostics)
{
    public GeneratorRunResult Result => Driver.GetRunResult().Results.Single();

    /// <summary>Diagnostics of the compilation including the generated code (compiler errors and warnings).</summary>
    public ImmutableArray<Diagnostic> CompileDiagnostics => Output.GetDiagnostics();

    public IEnumerable<Diagnostic> WithId(string id) => Diagnostics.Where(d => d.Id == id);

    public string GeneratedSource => Result.GeneratedSources.Single().SourceText.ToString();
}
