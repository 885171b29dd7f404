using EntryModel.Generators.Diagnostics;
using EntryModel.Generators.Tests.Generator;
using Microsoft.CodeAnalysis.CSharp;

namespace EntryModel.Generators.Tests.Fuzz;

/// <summary>
/// Hostile GAS text in every literal kind through the whole generator: no exception escapes, no
/// internal error, and every diagnostic lies inside the literal of the field it is about.
/// </summary>
public sealed class GeneratorFuzzTests
{
    private const int Runs = 400;
    private const int FieldsPerRun = 8;

    [Test]
    public void Hostile_models_never_crash_the_generator_and_diagnostics_stay_inside_their_literals()
    {
        var failures = new List<string>();
        for (int run = 0; run < Runs; run++)
        {
            var literals = new List<string>();
            for (int f = 0; f < FieldsPerRun; f++)
            {
                literals.Add(Literal(GasInputGenerator.Random((run * FieldsPerRun) + f + 100_000), f));
            }

            string source = Model(literals);
            var outcome = GeneratorHarness.Run(source);
            Assert.That(outcome.Result.Exception, Is.Null, $"run {run}: an exception escaped the generator");
            var literalSpans = literals.Select(l => (Start: source.IndexOf(l, StringComparison.Ordinal), l.Length)).ToArray();
            foreach (var diagnostic in outcome.Diagnostics)
            {
                var span = diagnostic.Location.SourceSpan;
                bool inside = literalSpans.Any(l => span.Start >= l.Start && span.End <= l.Start + l.Length)
                    && diagnostic.Location.GetLineSpan().Path == GeneratorHarness.ModelPath;
                if (diagnostic.Id == DiagnosticIds.InternalError || !inside)
                {
                    failures.Add($"run {run}: {diagnostic}");
                }
            }
        }

        Assert.That(failures, Is.Empty, $"{failures.Count} diagnostics were internal errors or outside their literal; first ones:\n" + string.Join("\n", failures.Take(10)));
    }

    private static string Model(List<string> literals)
    {
        var fields = literals.Select((l, i) => i == 0 ? $"    [GasMacros] public const string F{i} = {l};" : $"    [GasCode(\"fuzz_{i}\")] public const string F{i} = {l};");
        return "using EntryModel;\n[KernelModel, FrameStrategy(\"none\"), FrameStrategy(\"fp\", \"CONFIG_FRAME_POINTER\")]\npublic static partial class Kernel\n{\n"
            + string.Join("\n", fields) + "\n}\n";
    }

    /// <summary>The text as a regular, verbatim or raw literal (raw only when the text allows one).</summary>
    private static string Literal(string text, int kind)
    {
        bool rawable = !string.IsNullOrWhiteSpace(text) && !text.Contains("\"\"\"", StringComparison.Ordinal) && !text.Contains('\r') && text.Length > 0
            && !text.StartsWith('"') && !text.EndsWith('"') && !text.Any(c => c is '\u0085' or '\u2028' or '\u2029');
        switch (kind % 3)
        {
            case 1 when !text.Any(char.IsControl):
                return "@\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
            case 2 when rawable && !text.Contains('\n'):
                return "\"\"\"" + text + "\"\"\"";
            case 2 when rawable:
                return "\"\"\"\n        " + text.Replace("\n", "\n        ", StringComparison.Ordinal) + "\n        \"\"\"";
            default:
                return SymbolDisplay.FormatLiteral(text, quote: true);
        }
    }
}
