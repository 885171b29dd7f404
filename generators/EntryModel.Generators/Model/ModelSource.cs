namespace EntryModel.Generators.Model;

/// <summary>A frame strategy: its name, description, defines, and how its validation findings are reported (the runtime's <c>ValidationSeverity</c>).</summary>
internal sealed record StrategySource(string Name, string? Description, EquatableArray<string> Defines, int ValidationSeverity = 0);

/// <summary>A section declared on the model class (address and runtime <c>SectionPermissions</c> bits).</summary>
internal sealed record SectionSource(string Name, ulong Address, int Permissions);

/// <summary>
/// Everything the generator needs from one <c>[KernelModel]</c> class, as values.
/// </summary>
internal sealed record ModelSource(
    string Namespace,
    string ClassName,
    string FilePath,
    EquatableArray<StrategySource> Strategies,
    EquatableArray<SectionSource> Sections,
    EquatableArray<SourceDeclaration> Declarations);
