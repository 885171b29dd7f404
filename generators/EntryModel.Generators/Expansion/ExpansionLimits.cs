namespace EntryModel.Generators.Expansion;

/// <summary>
/// How much one declaration may expand to: statements run (after macros, <c>.rept</c> and
/// <c>.irp</c>) and bytes emitted. A value, so it is a pipeline input the cache can compare.
/// The defaults leave the kernel's entry code (tens of thousands of statements, tens of KiB)
/// far inside and stop hostile text (a macro calling itself twice, nested <c>.rept</c>s, huge
/// <c>.fill</c>s) long before it exhausts the compiler's memory.
/// </summary>
internal sealed record ExpansionLimits(long MaxExpandedStatements, long MaxEmittedBytes)
{
    public const long DefaultMaxExpandedStatements = 1_000_000;
    public const long DefaultMaxEmittedBytes = 64L << 20;

    /// <summary>MSBuild properties that raise or lower the limits (made visible with CompilerVisibleProperty).</summary>
    public const string StatementsProperty = "EntryModelMaxExpandedStatements";
    public const string BytesProperty = "EntryModelMaxEmittedBytes";

    // One declaration's bytes are one array: a limit past what an array holds could never be honoured.
    private const long MaxArrayBytes = 0x7FFFFFC7;

    public static ExpansionLimits Default { get; } = new ExpansionLimits(DefaultMaxExpandedStatements, DefaultMaxEmittedBytes);

    /// <summary>Limits from configured values; a missing or unusable one keeps its default.</summary>
    public static ExpansionLimits From(long? maxExpandedStatements, long? maxEmittedBytes) => new ExpansionLimits(
        maxExpandedStatements is > 0 and var s ? s : DefaultMaxExpandedStatements,
        maxEmittedBytes is > 0 and var b ? System.Math.Min(b, MaxArrayBytes) : DefaultMaxEmittedBytes);
}
