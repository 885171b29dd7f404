using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using EntryModel.Generators.Diagnostics;
using EntryModel.Generators.Emit;
using EntryModel.Generators.Encoding;
using EntryModel.Generators.Expansion;
using EntryModel.Generators.Extraction;
using EntryModel.Generators.Model;
using EntryModel.Generators.Pipeline;
using EntryModel.Generators.Syntax;
using EntryModel.Generators.Validation;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace EntryModel.Generators;

/// <summary>
/// Turns each <c>[KernelModel]</c> class into one <c>KernelImage</c> per frame strategy.
/// </summary>
/// <remarks>
/// Stages (tracking names in <see cref="StepNames"/>): extract the class to values, fan out its
/// declarations, give [GasFile] ones their AdditionalFiles text, and split each once (cached per declaration, locations left out so moving text
/// does not re-split), group them back per model, fan out per strategy and assemble, group the
/// outcomes per model and emit. Every step catches its own exceptions and turns them into EM0099.
/// </remarks>
[Generator(LanguageNames.CSharp)]
public sealed class EntryModelGenerator : IIncrementalGenerator
{
    private readonly Func<SourceDeclaration, ParsedDeclaration> split;
    private readonly Func<ObjectInput, DeclarationObject> assembleObject;
    private readonly Func<ModelSource, EquatableArray<ParsedDeclaration>, IReadOnlyList<DeclarationObject>, StrategySource, AssemblyResult> link;

    public EntryModelGenerator()
        : this(StatementSplitter.Split, GasAssembler.AssembleObject, GasAssembler.Link)
    {
    }

    /// <summary>Lets tests put a failing splitter, assembler or linker behind the real pipeline.</summary>
    internal EntryModelGenerator(
        Func<SourceDeclaration, ParsedDeclaration> split,
        Func<ObjectInput, DeclarationObject> assembleObject,
        Func<ModelSource, EquatableArray<ParsedDeclaration>, IReadOnlyList<DeclarationObject>, StrategySource, AssemblyResult> link)
    {
        this.split = split;
        this.assembleObject = assembleObject;
        this.link = link;
    }

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var extracted = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                AttributeNames.KernelModel,
                static (node, _) => node is ClassDeclarationSyntax,
                static (ctx, ct) => ExtractSafely(ctx, ct))
            .WithTrackingName(StepNames.ExtractModel);

        var modelDiagnostics = extracted
            .Select(static (e, _) => e.Diagnostics)
            .WithTrackingName(StepNames.ModelDiagnostics);
        context.RegisterSourceOutput(modelDiagnostics, static (spc, diagnostics) => Report(spc, diagnostics));

        var models = extracted
            .Where(static e => e.Model is not null)
            .Select(static (e, _) => new ModelInput(e.Model!, e.ClassLocation))
            .WithTrackingName(StepNames.Models);

        var declarations = models
            .SelectMany(static (m, _) => DeclarationsOf(m))
            .WithTrackingName(StepNames.Declarations);

        // [GasFile] texts. Only additional files some declaration could name are read, each once per
        // edit of it; an edit elsewhere leaves them cached, and an edit of one re-splits only its declaration.
        var references = declarations
            .Select(static (d, _) => d.Declaration.GasFile)
            .Collect()
            .Select(static (all, _) => new EquatableArray<string>(all.Where(r => r is not null).Select(r => r!).Distinct(StringComparer.Ordinal)))
            .WithTrackingName(StepNames.GasFileReferences);

        var gasFiles = context.AdditionalTextsProvider
            .Combine(references)
            .Select(static (pair, ct) => GasSourceFile.Read(pair.Left, pair.Right, ct))
            .WithTrackingName(StepNames.ReadGasFile);

        // Relative [GasFile] paths start from the project, as MSBuild items do (ProjectDir is visible to generators by default).
        var projectDirectory = context.AnalyzerConfigOptionsProvider
            .Select(static (options, _) => options.GlobalOptions.TryGetValue("build_property.ProjectDir", out string? directory) ? directory : null);

        var fileSet = gasFiles
            .Where(static f => f is not null)
            .Collect()
            .Combine(projectDirectory)
            .Select(static (pair, _) => new GasFileSet(new EquatableArray<GasSourceFile>(pair.Left.Select(f => f!)), pair.Right))
            .WithTrackingName(StepNames.GasFiles);

        var resolved = declarations
            .Combine(fileSet)
            .Select(static (pair, _) => ResolveSafely(pair.Left, pair.Right))
            .WithTrackingName(StepNames.ResolveDeclaration);

        var splitDeclarations = resolved
            .Select((d, _) => SplitSafely(d))
            .WithTrackingName(StepNames.SplitDeclaration);

        // The model the emitter places diagnostics with: [GasFile] declarations point at their files.
        var locatedModels = models
            .Combine(resolved.Collect())
            .Select(static (pair, _) => GasFileLocations.Apply(pair.Left, pair.Right))
            .WithTrackingName(StepNames.LocateGasFiles);

        var assemblyInputs = models
            .Combine(splitDeclarations.Collect())
            .Select(static (pair, _) => Group(pair.Left, pair.Right))
            .WithTrackingName(StepNames.GroupDeclarations);

        // The splitter's findings, per model: the same under every strategy, so they go to the
        // emitter once, not through each strategy's outcome.
        var sourceProblems = assemblyInputs
            .Select(static (input, _) => SourceProblems.Of(input))
            .WithTrackingName(StepNames.SourceProblems);

        // The consumer's expansion budgets (MSBuild properties), a value: unchanged options keep every object cached.
        var limits = context.AnalyzerConfigOptionsProvider
            .Select(static (options, _) => ExpansionLimitsOptions.Read(options.GlobalOptions))
            .WithTrackingName(StepNames.ExpansionLimits);

        // One object per declaration and strategy: an edit re-assembles only the edited declaration's.
        var objectJobs = assemblyInputs
            .Combine(limits)
            .SelectMany(static (pair, _) => ObjectJobsOf(pair.Left, pair.Right))
            .WithTrackingName(StepNames.ObjectJobs);

        var objects = objectJobs
            .Select((job, ct) => AssembleObjectSafely(job, ct))
            .WithTrackingName(StepNames.AssembleObject);

        var jobs = assemblyInputs
            .Combine(objects.Collect())
            .SelectMany(static (pair, _) => JobsOf(pair.Left, pair.Right))
            .WithTrackingName(StepNames.Strategies);

        var outcomes = jobs
            .Select((job, ct) => LinkSafely(job, ct))
            .WithTrackingName(StepNames.Assemble);

        // Validation per strategy: planning is cheap and runs on every new link; the walk runs only
        // when a strategy's kernel text, symbols or hints changed.
        var validationJobs = outcomes
            .Select(static (o, _) => PlanSafely(o))
            .WithTrackingName(StepNames.PlanValidation);

        var validations = validationJobs
            .Select(static (job, ct) => ValidateSafely(job, ct))
            .WithTrackingName(StepNames.Validate);

        var emitInputs = locatedModels
            .Combine(outcomes.Collect())
            .Combine(validations.Collect())
            .Combine(sourceProblems.Collect())
            .Select(static (pair, _) => Group(pair.Left.Left.Left, pair.Left.Left.Right, pair.Left.Right, pair.Right))
            .WithTrackingName(StepNames.GroupStrategies);

        var generated = emitInputs
            .Select(static (input, _) => EmitSafely(input))
            .WithTrackingName(StepNames.Emit);
        context.RegisterSourceOutput(generated, static (spc, g) => Output(spc, g));

        foreach (string attribute in AttributeNames.ModelOnly)
        {
            var orphans = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    attribute,
                    static (node, _) => node is VariableDeclaratorSyntax,
                    static (ctx, ct) => CheckOrphanSafely(ctx, ct))
                .Where(static d => d is not null)
                .WithTrackingName(StepNames.OrphanDeclarations);
            context.RegisterSourceOutput(orphans, static (spc, d) => spc.ReportDiagnostic(d!.ToDiagnostic()));
        }
    }

    private static ExtractedModel ExtractSafely(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        try
        {
            return ModelExtractor.Extract(context, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var location = context.TargetNode is ClassDeclarationSyntax c ? LocationInfo.From(c.Identifier.GetLocation()) : LocationInfo.From(context.TargetNode);
            return new ExtractedModel(null, location, Single(InternalError("reading the model", ex, location)));
        }
    }

    private static ImmutableArray<DeclarationInput> DeclarationsOf(ModelInput model)
    {
        string key = model.Key;
        var declarations = model.Model.Declarations;
        var builder = ImmutableArray.CreateBuilder<DeclarationInput>(declarations.Count);
        for (int i = 0; i < declarations.Count; i++)
        {
            builder.Add(new DeclarationInput(key, i, WithoutLocation(declarations[i])));
        }

        return builder.MoveToImmutable();
    }

    private static ResolvedDeclaration ResolveSafely(DeclarationInput input, GasFileSet files)
    {
        try
        {
            return GasFileResolution.Resolve(input, files);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var error = new AsmDiagnostic(DiagnosticIds.InternalError, Describe($"reading the file of '{input.Declaration.Name}'", ex), input.Index, 0, 0);
            return new ResolvedDeclaration(input.ModelKey, input.Index, input.Declaration, null, new EquatableArray<AsmDiagnostic>(ImmutableArray.Create(error)));
        }
    }

    private SplitOutcome SplitSafely(ResolvedDeclaration input)
    {
        try
        {
            // A declaration whose file was not found has no text to split: its problems are its diagnostics.
            var parsed = input.Problems.Count > 0
                ? new ParsedDeclaration(input.Declaration, EquatableArray<GasStatement>.Empty, input.Problems)
                : DeclarationSplitting.Split(split, input.Declaration, input.Index);
            return new SplitOutcome(input.ModelKey, input.Index, parsed, null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var empty = new ParsedDeclaration(input.Declaration, EquatableArray<GasStatement>.Empty, EquatableArray<AsmDiagnostic>.Empty);
            return new SplitOutcome(input.ModelKey, input.Index, empty, Describe($"splitting '{input.Declaration.Name}'", ex));
        }
    }

    private static AssemblyInput Group(ModelInput model, ImmutableArray<SplitOutcome> all)
    {
        string key = model.Key;
        var parsed = new ParsedDeclaration[model.Model.Declarations.Count];
        var errors = ImmutableArray.CreateBuilder<string>();
        foreach (var outcome in all)
        {
            if (outcome.ModelKey != key || outcome.Index >= parsed.Length)
            {
                continue;
            }

            parsed[outcome.Index] = outcome.Parsed;
            if (outcome.InternalError is { } error)
            {
                errors.Add(error);
            }
        }

        for (int i = 0; i < parsed.Length; i++)
        {
            if (parsed[i] is null)
            {
                // Every declaration has a split step; a gap would be a pipeline bug, reported rather than assembled around.
                var declaration = WithoutLocation(model.Model.Declarations[i]);
                parsed[i] = new ParsedDeclaration(declaration, EquatableArray<GasStatement>.Empty, EquatableArray<AsmDiagnostic>.Empty);
                errors.Add($"declaration '{declaration.Name}' never reached the assembler");
            }
        }

        // The split declarations, not the extracted ones: a [GasFile] declaration's text is its file's.
        var stripped = model.Model with
        {
            Declarations = new EquatableArray<SourceDeclaration>(parsed.Select(p => WithoutLocation(p.Source))),
        };
        return new AssemblyInput(key, stripped, new EquatableArray<ParsedDeclaration>(parsed), new EquatableArray<string>(errors.ToImmutable()));
    }

    private static ImmutableArray<ObjectJob> ObjectJobsOf(AssemblyInput input, ExpansionLimits limits)
    {
        var builder = ImmutableArray.CreateBuilder<ObjectJob>();
        if (input.SplitErrors.Count > 0)
        {
            return builder.ToImmutable();
        }

        for (int i = 0; i < input.Model.Strategies.Count; i++)
        {
            foreach (var objectInput in GasAssembler.ObjectInputs(input.Model, input.Parsed, input.Model.Strategies[i], limits))
            {
                builder.Add(new ObjectJob(input.ModelKey, i, objectInput));
            }
        }

        return builder.ToImmutable();
    }

    private ObjectOutcome AssembleObjectSafely(ObjectJob job, CancellationToken cancellationToken)
    {
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            return new ObjectOutcome(job.ModelKey, job.StrategyIndex, job.Input.Target, assembleObject(job.Input), null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new ObjectOutcome(job.ModelKey, job.StrategyIndex, job.Input.Target, null, Describe($"assembling a declaration for frame strategy '{job.Input.Strategy.Name}'", ex));
        }
    }

    private static ImmutableArray<StrategyJob> JobsOf(AssemblyInput input, ImmutableArray<ObjectOutcome> objects)
    {
        var builder = ImmutableArray.CreateBuilder<StrategyJob>(input.Model.Strategies.Count);
        for (int i = 0; i < input.Model.Strategies.Count; i++)
        {
            var mine = ImmutableArray.CreateBuilder<ObjectOutcome>();
            foreach (var o in objects)
            {
                if (o.ModelKey == input.ModelKey && o.StrategyIndex == i)
                {
                    mine.Add(o);
                }
            }

            builder.Add(new StrategyJob(input, i, new EquatableArray<ObjectOutcome>(mine.ToImmutable())));
        }

        return builder.MoveToImmutable();
    }

    private StrategyOutcome LinkSafely(StrategyJob job, CancellationToken cancellationToken)
    {
        var input = job.Input;
        var strategy = input.Model.Strategies[job.StrategyIndex];
        bool sourceProblems = HasSourceProblems(input);
        var none = new StrategyOutcome(input.ModelKey, job.StrategyIndex, strategy, null, null, EquatableArray<AsmDiagnostic>.Empty, sourceProblems);
        if (input.SplitErrors.Count > 0)
        {
            // Nothing was assembled; the splitter's crash is the model's to report (SourceProblems).
            return none;
        }

        foreach (var o in job.Objects)
        {
            if (o.InternalError is { } error)
            {
                return none with { InternalError = error };
            }
        }

        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            var objects = new List<DeclarationObject>(job.Objects.Count);
            var objectDiagnostics = ImmutableArray.CreateBuilder<AsmDiagnostic>();
            foreach (var o in job.Objects)
            {
                objects.Add(o.Object!);
                objectDiagnostics.AddRange(o.Object!.Diagnostics.Items);
            }

            var result = link(input.Model, input.Parsed, objects, strategy);
            return none with { Result = result, ObjectDiagnostics = new EquatableArray<AsmDiagnostic>(objectDiagnostics.ToImmutable()) };
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return none with { InternalError = Describe($"linking frame strategy '{strategy.Name}'", ex) };
        }
    }

    private static ValidationJob PlanSafely(StrategyOutcome outcome)
    {
        if (!outcome.Succeeded)
        {
            return new ValidationJob(outcome.ModelKey, outcome.StrategyIndex, null, EquatableArray<ValidationFinding>.Empty);
        }

        try
        {
            var result = outcome.Result!;
            var unit = ValidationPlanner.Plan(outcome.ModelKey, outcome.StrategyIndex, result, out var stray);
            return new ValidationJob(outcome.ModelKey, outcome.StrategyIndex, unit, new EquatableArray<ValidationFinding>(stray)) { Strategy = outcome.Strategy.Name };
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new ValidationJob(outcome.ModelKey, outcome.StrategyIndex, null, EquatableArray<ValidationFinding>.Empty)
            {
                InternalError = Describe($"planning the validation of frame strategy '{outcome.Strategy.Name}'", ex),
            };
        }
    }

    private static TextValidation ValidateSafely(ValidationJob job, CancellationToken cancellationToken)
    {
        var none = new TextValidation(job.ModelKey, job.StrategyIndex, job.Planned, EquatableArray<OrcRow>.Empty, 0, job.InternalError);
        if (job.Unit is null)
        {
            return none;
        }

        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            var validation = FrameValidator.Validate(job.Unit);
            return job.Planned.Count == 0
                ? validation
                : validation with { Findings = new EquatableArray<ValidationFinding>(job.Planned.Items.AddRange(validation.Findings.Items)) };
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return none with { InternalError = Describe($"validating the stack frames of frame strategy '{job.Strategy}'", ex) };
        }
    }

    private static EmitInput Group(ModelInput model, ImmutableArray<StrategyOutcome> all, ImmutableArray<TextValidation> validated, ImmutableArray<SourceProblems> sources)
    {
        string key = model.Key;
        var outcomes = new StrategyOutcome?[model.Model.Strategies.Count];
        foreach (var outcome in all)
        {
            if (outcome.ModelKey == key && outcome.StrategyIndex < outcomes.Length)
            {
                outcomes[outcome.StrategyIndex] = outcome;
            }
        }

        var builder = ImmutableArray.CreateBuilder<StrategyOutcome>(outcomes.Length);
        for (int i = 0; i < outcomes.Length; i++)
        {
            // Every strategy has a job; a missing outcome would be a pipeline bug, reported rather than dropped.
            builder.Add(outcomes[i] ?? new StrategyOutcome(key, i, model.Model.Strategies[i], null, "no assembly outcome reached the emitter", EquatableArray<AsmDiagnostic>.Empty));
        }

        var validations = new TextValidation[outcomes.Length];
        foreach (var v in validated)
        {
            if (v.ModelKey == key && v.StrategyIndex < validations.Length)
            {
                validations[v.StrategyIndex] = v;
            }
        }

        for (int i = 0; i < validations.Length; i++)
        {
            validations[i] ??= new TextValidation(key, i, EquatableArray<ValidationFinding>.Empty, EquatableArray<OrcRow>.Empty, 0, "no validation outcome reached the emitter");
        }

        // Every model has its splitting grouped; a missing one would be a pipeline bug, reported rather than dropped.
        var source = sources.FirstOrDefault(s => s.ModelKey == key)
            ?? SourceProblems.None(key) with { InternalErrors = new EquatableArray<string>(ImmutableArray.Create("no splitting outcome reached the emitter")) };
        return new EmitInput(model, new EquatableArray<StrategyOutcome>(builder.MoveToImmutable()), new EquatableArray<TextValidation>(validations), source);
    }

    private static GeneratedModel EmitSafely(EmitInput input)
    {
        var model = input.Model.Model;
        try
        {
            return ModelEmitter.Emit(input);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new GeneratedModel(ModelKey.Of(model) + ".EntryModel.g.cs", null, Single(InternalError("emitting the images", ex, input.Model.ClassLocation)));
        }
    }

    private static DiagnosticInfo? CheckOrphanSafely(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        try
        {
            return OrphanDeclarationCheck.Check(context, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return InternalError("checking a declaration field", ex, LocationInfo.From(context.TargetNode));
        }
    }

    private static void Report(SourceProductionContext context, EquatableArray<DiagnosticInfo> diagnostics)
    {
        foreach (var diagnostic in diagnostics)
        {
            context.ReportDiagnostic(diagnostic.ToDiagnostic());
        }
    }

    private static void Output(SourceProductionContext context, GeneratedModel generated)
    {
        Report(context, generated.Diagnostics);
        if (generated.Source is null)
        {
            return;
        }

        try
        {
            context.AddSource(generated.HintName, generated.Source);
        }
        catch (ArgumentException ex)
        {
            context.ReportDiagnostic(InternalError("adding the generated source", ex, null).ToDiagnostic());
        }
    }

    private static bool HasSourceProblems(AssemblyInput input)
    {
        foreach (var parsed in input.Parsed)
        {
            if (parsed.Diagnostics.Count > 0)
            {
                return true;
            }
        }

        return input.SplitErrors.Count > 0;
    }

    private static SourceDeclaration WithoutLocation(SourceDeclaration declaration) => declaration with { Location = TextLocation.None };

    private static DiagnosticInfo InternalError(string step, Exception ex, LocationInfo? location) =>
        new(DiagnosticIds.InternalError, Describe(step, ex), location);

    private static string Describe(string step, Exception ex) => $"EntryModel generator failed {step}: {ex.GetType().Name}: {ex.Message}";

    private static EquatableArray<DiagnosticInfo> Single(DiagnosticInfo diagnostic) => new(ImmutableArray.Create(diagnostic));
}
