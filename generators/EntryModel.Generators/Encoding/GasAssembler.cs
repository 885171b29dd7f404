using System;
using System.Collections.Generic;
using EntryModel.Generators.Diagnostics;
using EntryModel.Generators.Model;
using EntryModel.Generators.Syntax;

namespace EntryModel.Generators.Encoding;

/// <summary>
/// The assembler core: one strategy of a model, from GAS text to an image. Pure and deterministic,
/// so the incremental pipeline can cache it and tests can call it without Roslyn. Never throws:
/// an unexpected failure becomes EM0099.
/// </summary>
internal static class GasAssembler
{
    /// <summary>Assembles <paramref name="parsed"/> (parallel to <c>model.Declarations</c>) under one strategy.</summary>
    public static AssemblyResult Assemble(ModelSource model, EquatableArray<ParsedDeclaration> parsed, StrategySource strategy)
    {
        var diagnostics = new List<AsmDiagnostic>();
        try
        {
            var expander = new Expander(model, parsed.Items, strategy, diagnostics);
            expander.Run();
            var sections = new SectionMap(model.Sections);
            var layout = new Layout(expander, sections, diagnostics);
            layout.Run();
            return new ImageBuilder(model, parsed.Items, expander, layout, sections, diagnostics).Build(strategy);
        }
#pragma warning disable CA1031 // The generator must never throw: any failure is a diagnostic.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            diagnostics.Add(new AsmDiagnostic(DiagnosticIds.InternalError, $"internal assembler error: {ex.GetType().Name}: {ex.Message}", -1, 0, 0));
            return Empty(strategy, diagnostics);
        }
    }

    /// <summary>Assembles a single piece of GAS text as one function at <paramref name="address"/> (tests, tools).</summary>
    public static AssemblyResult AssembleText(string text, ulong address = 0xffffffff81000000UL, string strategy = "default", params string[] defines)
    {
        var decl = new SourceDeclaration(DeclarationKind.Code, "text", 0, address, 0, 1, ".text", 0, false, null, 0, false, 0, text, TextLocation.None);
        var model = new ModelSource("Tests", "Text", string.Empty, EquatableArray<StrategySource>.Empty, EquatableArray<SectionSource>.Empty, new EquatableArray<SourceDeclaration>(new[] { decl }));
        var parsed = new EquatableArray<ParsedDeclaration>(new[] { StatementSplitter.Split(decl) });
        return Assemble(model, parsed, new StrategySource(strategy, null, new EquatableArray<string>(defines)));
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
        new EquatableArray<AsmDiagnostic>(diagnostics));
}
