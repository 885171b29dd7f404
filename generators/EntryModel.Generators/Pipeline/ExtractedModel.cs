using EntryModel.Generators.Diagnostics;
using EntryModel.Generators.Model;

namespace EntryModel.Generators.Pipeline;

/// <summary>
/// What the first step reads from one <c>[KernelModel]</c> class: the model as values (null when the
/// class cannot hold generated members), the class's location for model-wide diagnostics, and the
/// attribute-level diagnostics found on the way.
/// </summary>
internal sealed record ExtractedModel(ModelSource? Model, LocationInfo? ClassLocation, EquatableArray<DiagnosticInfo> Diagnostics);
