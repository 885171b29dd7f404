using System.Collections.Concurrent;
using EntryModel.Generators.Model;
using EntryModel.Generators.Syntax;
using EntryModel.Generators.Tests.Extraction;

namespace EntryModel.Generators.Tests.Generator;

/// <summary>
/// Splitter and assembler stand-ins that record what the pipeline asked of them, so tests can see
/// which declarations were split and which strategies assembled again after an edit.
/// </summary>
internal sealed class CountingCore
{
    private readonly ModelSourceCapture capture = new();

    public ConcurrentQueue<string> Split { get; } = new();

    public ConcurrentQueue<string> Assembled { get; } = new();

    public EntryModelGenerator Generator() => GeneratorHarness.With(SplitDeclaration, Assemble);

    public void Clear()
    {
        Split.Clear();
        Assembled.Clear();
    }

    private ParsedDeclaration SplitDeclaration(SourceDeclaration declaration)
    {
        Split.Enqueue(declaration.Name);
        return ModelSourceCapture.Unsplit(declaration);
    }

    private AssemblyResult Assemble(ModelSource model, EquatableArray<ParsedDeclaration> parsed, StrategySource strategy)
    {
        Assembled.Enqueue(strategy.Name);
        return capture.Assemble(model, parsed, strategy);
    }
}
