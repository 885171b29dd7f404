namespace EntryModel.Generators.Syntax;

/// <summary>
/// What parsing one piece of a statement gave: its value, or the problem it found. The problem is
/// kept, not thrown, so that a statement parsed once reports it at the point where it is used, each
/// time it is used, exactly as parsing it there again would.
/// </summary>
internal sealed class ParseOutcome<T>
    where T : class
{
    private readonly T? value;
    private readonly string? id;
    private readonly string message = string.Empty;
    private readonly int offset;
    private readonly int length;

    private ParseOutcome(T? value, SyntaxException? problem)
    {
        this.value = value;
        if (problem != null)
        {
            id = problem.Id;
            message = problem.Message;
            offset = problem.Offset;
            length = problem.Length;
        }
    }

    public static ParseOutcome<T> Of(System.Func<T> parse)
    {
        try
        {
            return new ParseOutcome<T>(parse(), null);
        }
        catch (SyntaxException ex)
        {
            return new ParseOutcome<T>(null, ex);
        }
    }

    /// <summary>A problem found without parsing further (the statement can go no further).</summary>
    public static ParseOutcome<T> Failure(SyntaxException problem) => new ParseOutcome<T>(null, problem);

    /// <summary>Throws what parsing found, if it found a problem.</summary>
    public void ThrowIfFailed() => _ = Value;

    /// <summary>The parsed value; throws (a fresh exception each time) what parsing found.</summary>
    public T Value => value ?? throw new SyntaxException(id!, message, offset, length);
}
