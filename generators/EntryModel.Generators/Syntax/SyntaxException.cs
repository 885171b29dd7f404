using System;

namespace EntryModel.Generators.Syntax;

/// <summary>
/// A problem in one statement, found while parsing or assembling it. Thrown only inside the core
/// and always caught at the statement and turned into a diagnostic at <see cref="Offset"/>.
/// </summary>
#pragma warning disable CA1032, CA1064 // internal, never leaves the assembler
internal sealed class SyntaxException : Exception
#pragma warning restore CA1032, CA1064
{
    public SyntaxException(string id, string message, int offset, int length)
        : base(message)
    {
        Id = id;
        Offset = offset;
        Length = length;
    }

    public string Id { get; }

    /// <summary>Offset inside the statement text, or -1 for "the whole statement".</summary>
    public int Offset { get; }

    public int Length { get; }
}
