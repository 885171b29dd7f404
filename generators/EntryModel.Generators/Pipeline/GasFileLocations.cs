using System.Collections.Immutable;

namespace EntryModel.Generators.Pipeline;

/// <summary>
/// Points each <c>[GasFile]</c> declaration of a model at its file, so the emitter places its
/// diagnostics and line table in the file rather than in the C# attribute.
/// </summary>
internal static class GasFileLocations
{
    public static ModelInput Apply(ModelInput model, ImmutableArray<ResolvedDeclaration> resolved)
    {
        string key = model.Key;
        var declarations = model.Model.Declarations.Items;
        var located = declarations.ToBuilder();
        bool changed = false;
        foreach (var r in resolved)
        {
            if (r.ModelKey == key && r.FileLocation is { } location && r.Index < located.Count)
            {
                located[r.Index] = located[r.Index] with { Location = location };
                changed = true;
            }
        }

        return changed
            ? model with { Model = model.Model with { Declarations = new Model.EquatableArray<Model.SourceDeclaration>(located.ToImmutable()) } }
            : model;
    }
}
