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

    /// <summary>Strategies linked.</summary>
    public ConcurrentQueue<string> Assembled { get; } = new();

    /// <summary>Objects assembled, as "declaration@strategy" ("@strategy" alone for the macros' object).</summary>
    public ConcurrentQueue<string> Objects { get; } = new();

    public EntryModelGenerator Generator() => new(SplitDeclaration, AssembleObject, Link);

    public void Clear()
    {
        Split.Clear();
        Assembled.Clear();
        Objects.Clear();
    }

    private ParsedDeclaration SplitDeclaration(SourceDeclaration declaration)
    {
        Split.Enqueue(declaration.Name);
        return ModelSourceCapture.Unsplit(declaration);
    }

    private EntryModel.Generators.Encoding.DeclarationObject AssembleObject(EntryModel.Generators.Encoding.ObjectInput input)
    {
        var target = input.Declarations.FirstOrDefault(d => d.Index == input.Target);
        Objects.Enqueue((target?.Parsed.Source.Name ?? string.Empty) + "@" + input.Strategy.Name);
        return EntryModel.Generators.Encoding.GasAssembler.AssembleObject(input);
    }

    private AssemblyResult Link(ModelSource model, EquatableArray<ParsedDeclaration> parsed, IReadOnlyList<EntryModel.Generators.Encoding.DeclarationObject> objects, StrategySource strategy)
    {
        Assembled.Enqueue(strategy.Name);
        return capture.Assemble(model, parsed, strategy);
    }
}
