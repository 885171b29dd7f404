using System.Collections.Immutable;
using System.Linq;
using EntryModel.Generators.Diagnostics;
using EntryModel.Generators.Model;

namespace EntryModel.Generators.Pipeline;

/// <summary>
/// Gives a <c>[GasFile]</c> declaration its file's text. Problems are reported as the declaration's
/// own diagnostics over its path argument, so they keep the image from being built as a syntax error would.
/// </summary>
internal static class GasFileResolution
{
    public static ResolvedDeclaration Resolve(DeclarationInput input, GasFileSet files)
    {
        var declaration = input.Declaration;
        if (declaration.GasFile is not { } reference)
        {
            return new ResolvedDeclaration(input.ModelKey, input.Index, declaration, null, EquatableArray<AsmDiagnostic>.Empty);
        }

        var matches = GasFilePaths.Match(reference, files.Files.Select(f => f.Path), files.ProjectDirectory);
        if (matches.Length > 1)
        {
            return Problem(input, DiagnosticIds.GasFileAmbiguous, $"[GasFile(\"{reference}\")] of '{declaration.Name}' matches {matches.Length} AdditionalFiles items ({string.Join(", ", matches)}); write more of the path to name one");
        }

        var file = matches.Length == 1 ? files.Files.First(f => f.Path == matches[0]) : null;
        if (file is null)
        {
            return Problem(input, DiagnosticIds.GasFileNotFound, $"[GasFile(\"{reference}\")] of '{declaration.Name}': no AdditionalFiles item matches; add <AdditionalFiles Include=\"{reference}\" /> to the project");
        }

        if (file.Text is null)
        {
            return Problem(input, DiagnosticIds.GasFileNotFound, $"[GasFile(\"{reference}\")] of '{declaration.Name}': the AdditionalFiles item '{file.Path}' could not be read");
        }

        return new ResolvedDeclaration(input.ModelKey, input.Index, declaration with { Text = file.Text }, file.Location, EquatableArray<AsmDiagnostic>.Empty);
    }

    private static ResolvedDeclaration Problem(DeclarationInput input, string id, string message)
    {
        // Offsets of the path inside its attribute argument: the located model still points there.
        var diagnostic = new AsmDiagnostic(id, message, input.Index, 0, input.Declaration.GasFile!.Length);
        return new ResolvedDeclaration(input.ModelKey, input.Index, input.Declaration, null, new EquatableArray<AsmDiagnostic>(ImmutableArray.Create(diagnostic)));
    }
}
