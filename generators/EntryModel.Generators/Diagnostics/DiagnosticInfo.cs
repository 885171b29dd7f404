using Microsoft.CodeAnalysis;

namespace EntryModel.Generators.Diagnostics;

/// <summary>
/// A diagnostic as values: id, message, location, and a severity when it is not the descriptor's
/// (a strategy's validation findings raised to errors or hidden); turned into a Roslyn diagnostic
/// only when reported.
/// </summary>
internal sealed record DiagnosticInfo(string Id, string Message, LocationInfo? Location, DiagnosticSeverity? Severity = null)
{
    public Diagnostic ToDiagnostic()
    {
        var descriptor = Descriptors.For(Id);
        var location = Location?.ToLocation() ?? Microsoft.CodeAnalysis.Location.None;
        return Severity is { } severity && severity != descriptor.DefaultSeverity
            ? Diagnostic.Create(descriptor, location, severity, additionalLocations: null, properties: null, Message)
            : Diagnostic.Create(descriptor, location, Message);
    }
}
