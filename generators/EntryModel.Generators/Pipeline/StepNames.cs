using EntryModel.Generators.Expansion;

namespace EntryModel.Generators.Pipeline;

/// <summary>Tracking names of the pipeline's steps, so tests can see which steps ran and why.</summary>
internal static class StepNames
{
    public const string ExtractModel = nameof(ExtractModel);
    public const string ModelDiagnostics = nameof(ModelDiagnostics);
    public const string Models = nameof(Models);
    public const string Declarations = nameof(Declarations);
    public const string GasFileReferences = nameof(GasFileReferences);
    public const string ReadGasFile = nameof(ReadGasFile);
    public const string GasFiles = nameof(GasFiles);
    public const string ResolveDeclaration = nameof(ResolveDeclaration);
    public const string LocateGasFiles = nameof(LocateGasFiles);
    public const string SplitDeclaration = nameof(SplitDeclaration);
    public const string GroupDeclarations = nameof(GroupDeclarations);
    public const string SourceProblems = nameof(SourceProblems);
    public const string ExpansionLimits = nameof(ExpansionLimits);
    public const string ObjectJobs = nameof(ObjectJobs);
    public const string AssembleObject = nameof(AssembleObject);
    public const string Strategies = nameof(Strategies);
    public const string Assemble = nameof(Assemble);
    public const string PlanValidation = nameof(PlanValidation);
    public const string Validate = nameof(Validate);
    public const string GroupStrategies = nameof(GroupStrategies);
    public const string Emit = nameof(Emit);
    public const string OrphanDeclarations = nameof(OrphanDeclarations);
}
