using System.Collections.Generic;
using System.Linq;
using EntryModel.Generators.Syntax;

namespace EntryModel.Generators.Expansion;

/// <summary>A <c>.macro</c>: parameters (with defaults, <c>:req</c>, <c>:vararg</c>) and its body statements.</summary>
internal sealed class MacroDefinition
{
    private HashSet<string>? innerParameters;

    public MacroDefinition(string name, List<MacroParameter> parameters, List<(GasStatement Statement, SourceRef Source)> body, SourceRef source)
    {
        Name = name;
        Parameters = parameters;
        Body = body;
        Source = source;
    }

    public string Name { get; }

    public List<MacroParameter> Parameters { get; }

    public List<(GasStatement Statement, SourceRef Source)> Body { get; }

    /// <summary>The parameters of <c>.irp</c>/<c>.irpc</c> blocks in the body, left for them to substitute.</summary>
    public HashSet<string>? InnerParameters => innerParameters ??= MacroArguments.InnerParameters(Body.Select(b => b.Statement)) ?? new HashSet<string>();

    public SourceRef Source { get; }
}

internal sealed class MacroParameter
{
    public MacroParameter(string name, string? defaultValue, bool required, bool vararg)
    {
        Name = name;
        Default = defaultValue;
        Required = required;
        Vararg = vararg;
    }

    public string Name { get; }

    public string? Default { get; }

    public bool Required { get; }

    public bool Vararg { get; }
}
