using System;
using System.Collections.Generic;
using System.Linq;
using EntryModel.Generators.Diagnostics;
using EntryModel.Generators.Expansion;
using EntryModel.Generators.Model;
using EntryModel.Generators.Public;
using EntryModel.Generators.Syntax;

namespace EntryModel.Generators.Encoding;

/// <summary>
/// The assembler core, shaped like as + ld: each declaration is assembled on its own under a
/// strategy (with the model's macro declarations as its shared header) into a relocatable
/// <see cref="DeclarationObject"/>; a strategy's objects are then linked into an image. Pure and
/// deterministic, so the pipeline caches objects per declaration and an edit re-assembles one.
/// Never throws: an unexpected failure becomes EM0099.
/// </summary>
internal static class GasAssembler
{
    /// <summary>The object of the macro declarations alone: they emit nothing, but their problems are reported once.</summary>
    public const int MacrosOnly = -1;

    /// <summary>
    /// Assembles <paramref name="parsed"/> (parallel to <c>model.Declarations</c>) under one strategy,
    /// each declaration within <paramref name="limits"/> (<see cref="ExpansionLimits.Default"/> when null),
    /// for tools and tests that want the whole run at once: its diagnostics are every stage's, each
    /// stage's once, in pipeline order (splitter, objects, link), as as and then ld would print them.
    /// </summary>
    public static AssemblyResult Assemble(ModelSource model, EquatableArray<ParsedDeclaration> parsed, StrategySource strategy, ExpansionLimits? limits = null)
    {
        var objects = new List<DeclarationObject>();
        var diagnostics = new List<AsmDiagnostic>();
        for (int d = 0; d < parsed.Count; d++)
        {
            // The splitter sees one declaration and cannot know its index; the pipeline stamps it in DeclarationSplitting.
            diagnostics.AddRange(parsed[d].Diagnostics.Select(x => x with { DeclarationIndex = d }));
        }

        foreach (var input in ObjectInputs(model, parsed, strategy, limits))
        {
            var obj = AssembleObject(input);
            objects.Add(obj);
            diagnostics.AddRange(obj.Diagnostics);
        }

        var linked = Link(model, parsed, objects, strategy);
        diagnostics.AddRange(linked.Diagnostics);
        return linked with { Diagnostics = new EquatableArray<AsmDiagnostic>(diagnostics) };
    }

    /// <summary>The objects a strategy links: the macro declarations' (for their diagnostics), then each code declaration's.</summary>
    public static IEnumerable<ObjectInput> ObjectInputs(ModelSource model, EquatableArray<ParsedDeclaration> parsed, StrategySource strategy, ExpansionLimits? limits = null)
    {
        yield return ObjectInput.Create(model, parsed.Items, MacrosOnly, strategy, limits);
        for (int d = 0; d < parsed.Count; d++)
        {
            if (parsed[d].Source.Kind != DeclarationKind.Macros)
            {
                yield return ObjectInput.Create(model, parsed.Items, d, strategy, limits);
            }
        }
    }

    /// <summary>Assembles one declaration (or <see cref="MacrosOnly"/>) into a relocatable object.</summary>
    public static DeclarationObject AssembleObject(ObjectInput input)
    {
        var diagnostics = new List<AsmDiagnostic>();
        int declaration = input.Target;
        try
        {
            var parsed = input.View();
            var expander = new Expander(parsed, input.Strategy, diagnostics, input.Limits);
            expander.Run(declaration, input.ReportsHeader);
            if (expander.Budget.Exhausted)
            {
                return Failed(declaration, diagnostics);
            }

            var sections = new SectionMap(input.Sections, expander.SectionFlags, below4GiB: expander.Machine == ObjectFileMachine.I386);
            var layout = new Layout(expander, sections, diagnostics);
            layout.Run();

            // Alignment, .org and a declared size are known only now: check them before the bytes are allocated.
            bool overspent = expander.Budget.Overspent(expander.Fragments, out var at);
            if (overspent || expander.Budget.Exhausted)
            {
                if (!expander.Budget.Reported)
                {
                    var spent = expander.Budget.BytesSpent();
                    if (at is null)
                    {
                        diagnostics.Add(new AsmDiagnostic(spent.Id, spent.Message, declaration, 0, 0));
                    }
                    else
                    {
                        expander.ReportAt(at.Source, spent);
                    }
                }

                return Failed(declaration, diagnostics);
            }

            return new ObjectBuilder(parsed, declaration, expander, layout, diagnostics).Build();
        }
#pragma warning disable CA1031 // The generator must never throw: any failure is a diagnostic.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            diagnostics.Add(new AsmDiagnostic(DiagnosticIds.InternalError, $"internal assembler error: {ex.GetType().Name}: {ex.Message}", declaration, 0, 0));
            return Failed(declaration, diagnostics);
        }
    }

    /// <summary>An object with nothing in it but its diagnostics.</summary>
    private static DeclarationObject Failed(int declaration, List<AsmDiagnostic> diagnostics) =>
        new DeclarationObject(declaration, EquatableArray<ObjectFragment>.Empty, EquatableArray<ObjectSymbol>.Empty, EquatableArray<ObjectFixup>.Empty, new EquatableArray<AsmDiagnostic>(diagnostics));

    /// <summary>
    /// Links a strategy's objects into its image. Its diagnostics are the link's own (duplicate and
    /// undefined symbols, fields out of range, overlaps, entries): the objects' are theirs to report.
    /// </summary>
    public static AssemblyResult Link(ModelSource model, EquatableArray<ParsedDeclaration> parsed, IReadOnlyList<DeclarationObject> objects, StrategySource strategy)
    {
        try
        {
            return Linker.Link(model, parsed.Items, objects, strategy);
        }
#pragma warning disable CA1031 // The generator must never throw: any failure is a diagnostic.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            var diagnostics = new List<AsmDiagnostic> { new AsmDiagnostic(DiagnosticIds.InternalError, $"internal linker error: {ex.GetType().Name}: {ex.Message}", -1, 0, 0) };
            return Empty(strategy, diagnostics);
        }
    }

    /// <summary>
    /// Assembles a whole GAS file as <c>as</c> would, into one relocatable object: one declaration
    /// with no name of its own (it defines only what the file defines) in <c>.text</c> at
    /// <paramref name="address"/>, under <paramref name="strategy"/> (default: one defining nothing),
    /// for <paramref name="machine"/> (as <c>--64</c> or <c>--32</c>).
    /// </summary>
    public static FileAssembly AssembleFile(string text, StrategySource? strategy = null, ulong address = 0xffffffff81000000UL, ObjectFileMachine machine = ObjectFileMachine.Amd64)
    {
        // 32-bit code sits where 32-bit addresses reach (the address's low half, as SectionMap places its sections).
        ulong start = machine == ObjectFileMachine.I386 ? address & 0xffffffffUL : address;
        var declaration = new SourceDeclaration(DeclarationKind.Code, string.Empty, 0, start, 0, 1, ".text", 0, false, null, 0, false, 0, text, TextLocation.None) { Machine = machine };
        var model = new ModelSource("File", "File", string.Empty, EquatableArray<StrategySource>.Empty, EquatableArray<SectionSource>.Empty, new EquatableArray<SourceDeclaration>(new[] { declaration }));
        var parsed = StatementSplitter.Split(declaration);
        var input = ObjectInput.Create(model, new[] { parsed }, 0, strategy ?? new StrategySource("default", null, EquatableArray<string>.Empty)) with { ReportsHeader = true };
        var obj = AssembleObject(input);
        return new FileAssembly(model, parsed, obj);
    }

    /// <summary>Assembles a single piece of GAS text as one function at <paramref name="address"/> (tests, tools).</summary>
    public static AssemblyResult AssembleText(string text, ulong address = 0xffffffff81000000UL, string strategy = "default", params string[] defines) =>
        AssembleText(text, ExpansionLimits.Default, address, strategy, defines);

    /// <summary>Assembles a single piece of GAS text as one function within <paramref name="limits"/>.</summary>
    public static AssemblyResult AssembleText(string text, ExpansionLimits limits, ulong address = 0xffffffff81000000UL, string strategy = "default", params string[] defines)
    {
        var decl = new SourceDeclaration(DeclarationKind.Code, "text", 0, address, 0, 1, ".text", 0, false, null, 0, false, 0, text, TextLocation.None);
        var model = new ModelSource("Tests", "Text", string.Empty, EquatableArray<StrategySource>.Empty, EquatableArray<SectionSource>.Empty, new EquatableArray<SourceDeclaration>(new[] { decl }));
        var parsed = new EquatableArray<ParsedDeclaration>(new[] { StatementSplitter.Split(decl) });
        return Assemble(model, parsed, new StrategySource(strategy, null, new EquatableArray<string>(defines)), limits);
    }

    private static AssemblyResult Empty(StrategySource strategy, List<AsmDiagnostic> diagnostics) => new AssemblyResult(
        strategy.Name,
        strategy.Description,
        strategy.Defines,
        EquatableArray<AssembledChunk>.Empty,
        EquatableArray<AssembledSymbol>.Empty,
        EquatableArray<AssembledRelocation>.Empty,
        EquatableArray<AssembledLine>.Empty,
        EquatableArray<AssembledGate>.Empty,
        null,
        new EquatableArray<AsmDiagnostic>(diagnostics),
        EquatableArray<AssembledConstant>.Empty);
}

/// <summary>A whole file assembled: the one-declaration model it made, its statements and its object.</summary>
internal sealed record FileAssembly(ModelSource Model, ParsedDeclaration Parsed, DeclarationObject Object)
{
    /// <summary>Every problem, the splitter's and the assembler's.</summary>
    public IEnumerable<AsmDiagnostic> Diagnostics => Parsed.Diagnostics.Concat(Object.Diagnostics);
}
