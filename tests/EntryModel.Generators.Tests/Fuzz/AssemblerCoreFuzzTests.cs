using System.Collections.Immutable;
using EntryModel.Generators.Diagnostics;
using EntryModel.Generators.Encoding;
using EntryModel.Generators.Model;
using EntryModel.Generators.Pipeline;
using EntryModel.Generators.Syntax;

namespace EntryModel.Generators.Tests.Fuzz;

/// <summary>
/// Thousands of hostile inputs through StatementSplitter and GasAssembler: nothing throws, and
/// every diagnostic names a declaration and a span inside that declaration's text (no internal
/// errors: a crash the core catches itself is still a crash).
/// </summary>
public sealed class AssemblerCoreFuzzTests
{
    private const int Inputs = 3000;

    private static readonly StrategySource[] Strategies =
    [
        new("none", null, EquatableArray<string>.Empty),
        new("frame-pointer", null, new EquatableArray<string>(ImmutableArray.Create("CONFIG_FRAME_POINTER", "OFF=8"))),
    ];

    [Test]
    public void Random_and_mutated_text_never_throws_and_diagnostics_stay_inside_their_text()
    {
        var failures = new List<string>();
        for (int seed = 0; seed < Inputs; seed++)
        {
            // Two declarations per model: the hostile one and a macro declaration that may be hostile too.
            string code = GasInputGenerator.Random(seed);
            string macros = seed % 5 == 0 ? GasInputGenerator.Random(seed + Inputs) : ".macro M a=1\npushq $\\a\n.endm";
            var declarations = ImmutableArray.Create(
                Declaration(DeclarationKind.Macros, "Macros", macros),
                Declaration(DeclarationKind.Code, "fuzz", code));
            var model = new ModelSource("Fuzz", "Kernel", "/fuzz.cs", new EquatableArray<StrategySource>(Strategies), EquatableArray<SectionSource>.Empty, new EquatableArray<SourceDeclaration>(declarations));

            try
            {
                // Split the way the pipeline does: the declaration's index stamped on the splitter's diagnostics.
                var parsed = new EquatableArray<ParsedDeclaration>(declarations.Select((d, i) => DeclarationSplitting.Split(StatementSplitter.Split, d, i)));
                var diagnostics = parsed.SelectMany(p => p.Diagnostics).ToList();
                foreach (var strategy in Strategies)
                {
                    diagnostics.AddRange(GasAssembler.Assemble(model, parsed, strategy).Diagnostics);
                }

                foreach (var d in diagnostics.Where(d => !IsInside(d, model) || d.Id == DiagnosticIds.InternalError))
                {
                    failures.Add($"seed {seed}: {d}\n  code: {Escape(code)}\n  macros: {Escape(macros)}");
                }
            }
            catch (Exception ex)
            {
                failures.Add($"seed {seed} threw {ex.GetType().Name}: {ex.Message}\n  code: {Escape(code)}\n  macros: {Escape(macros)}\n{ex.StackTrace}");
            }
        }

        Assert.That(failures, Is.Empty, $"{failures.Count} of {Inputs} inputs failed; first ones:\n" + string.Join("\n", failures.Take(10)));
    }

    /// <summary>Names a declaration of the model and a span inside that declaration's text.</summary>
    private static bool IsInside(AsmDiagnostic d, ModelSource model)
    {
        if (d.DeclarationIndex < 0 || d.DeclarationIndex >= model.Declarations.Count)
        {
            return false;
        }

        int length = model.Declarations[d.DeclarationIndex].Text.Length;
        return d.Offset >= 0 && d.Offset <= length && d.Length >= 0 && d.Length <= length - d.Offset;
    }

    private static SourceDeclaration Declaration(DeclarationKind kind, string name, string text) =>
        new(kind, name, 0, 0, 0, 16, ".text", 0, false, null, 0, false, 0, text, TextLocation.None);

    private static string Escape(string s) => Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(s, quote: true);
}
