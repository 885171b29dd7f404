using Microsoft.CodeAnalysis;

namespace EntryModel.Generators.Diagnostics;

/// <summary>A diagnostic as values: id, message and location; turned into a Roslyn diagnostic only when reported.</summary>
internal sealed record DiagnosticInfo(string Id, string Message, LocationInfo? Location)
{
    public Diagnostic ToDiagnostic() =>
        Diagnostic.Create(Descriptors.For(Id), Location?.ToLocation() ?? Microsoft.CodeAnalysis.Location.None, Message);
}
