using System.Collections.Immutable;
using System.Reflection;
using EntryModel.Generators.Model;
using EntryModel.Generators.Syntax;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

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

    public static GeneratorDriver Driver(IIncrementalGenerator generator) =>
        CSharpGeneratorDriver.Create(
            [generator.AsSourceGenerator()],
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the real generator once over <paramref name="sources"/>.</summary>
    public static GeneratorOutcome Run(params string[] sources) => Run(new EntryModelGenerator(), sources);

    public static GeneratorOutcome Run(IIncrementalGenerator generator, params string[] sources)
    {
        var compilation = Compile(sources);
        var driver = Driver(generator).RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
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

/// <summary>What one generator run produced.</summary>
internal sealed record GeneratorOutcome(GeneratorDriver Driver, Compilation Output, ImmutableArray<Diagnostic> Diagnostics)
{
    public GeneratorRunResult Result => Driver.GetRunResult().Results.Single();

    /// <summary>Diagnostics of the compilation including the generated code (compiler errors and warnings).</summary>
    public ImmutableArray<Diagnostic> CompileDiagnostics => Output.GetDiagnostics();

    public IEnumerable<Diagnostic> WithId(string id) => Diagnostics.Where(d => d.Id == id);

    public string GeneratedSource => Result.GeneratedSources.Single().SourceText.ToString();
}
