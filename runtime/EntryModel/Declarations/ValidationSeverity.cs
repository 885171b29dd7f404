namespace EntryModel;

/// <summary>
/// How a frame strategy's stack-validation findings are reported at build time. They never change
/// the image unless they are errors, which drop it as any assembler error does.
/// </summary>
public enum ValidationSeverity
{
    /// <summary>Compiler warnings (the default): the image is still built.</summary>
    Warning = 0,

    /// <summary>Errors: a strategy that must validate cleanly gets no image until it does.</summary>
    Error = 1,

    /// <summary>Hidden diagnostics: kept (IDEs list them, the image carries them) but not shown in a build, for a strategy expected to break the rules.</summary>
    Hidden = 2,
}
