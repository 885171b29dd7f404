using EntryModel.Generators.Model;

namespace EntryModel.Generators.Pipeline;

/// <summary>The key that groups per-declaration and per-strategy items back under their model.</summary>
internal static class ModelKey
{
    public static string Of(ModelSource model) => model.Namespace.Length == 0 ? model.ClassName : model.Namespace + "." + model.ClassName;
}
