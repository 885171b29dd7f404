namespace EntryModel;

/// <summary>
/// A named build configuration of a kernel model: the symbols it defines for <c>.ifdef</c>/<c>.if</c>.
/// A symbol written <c>NAME=value</c> defines an absolute constant; a bare name defines it as 1.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class FrameStrategyAttribute : Attribute
{
    public FrameStrategyAttribute(string name, params string[] defines)
    {
        Name = name;
        Defines = defines;
    }

    /// <summary>The strategy's name, e.g. <c>pt-regs-frame</c>.</summary>
    public string Name { get; }

    /// <summary>Configuration symbols defined while assembling this strategy.</summary>
    public IReadOnlyList<string> Defines { get; }

    /// <summary>One line saying what the strategy does to the stack.</summary>
    public string? Description { get; set; }

    /// <summary>How the generator reports this strategy's stack-validation findings (objtool's rules).</summary>
    public ValidationSeverity Validation { get; set; }
}
