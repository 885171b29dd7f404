using EntryModel.Generators.Diagnostics;
using EntryModel.Generators.Model;

namespace EntryModel.Generators.Pipeline;

/// <summary>A model that can be generated, with the location model-wide diagnostics point at.</summary>
internal sealed record ModelInput(ModelSource Model, LocationInfo? ClassLocation)
{
    /// <summary>Identifies the model among all models of the compilation.</summary>
    public string Key => ModelKey.Of(Model);
}
