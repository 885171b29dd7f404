namespace EntryModel.Generators.Public;

/// <summary>An error the assembler reports: its id (EMxxxx), message and place in the file (1-based line and column).</summary>
public sealed class AssemblyDiagnostic
{
    public AssemblyDiagnostic(string id, string message, int line, int column, int offset, int length)
    {
        Id = id;
        Message = message;
        Line = line;
        Column = column;
        Offset = offset;
        Length = length;
    }

    public string Id { get; }

    public string Message { get; }

    public int Line { get; }

    public int Column { get; }

    /// <summary>The character offset in the file's text (-1 when the assembler gave no place).</summary>
    public int Offset { get; }

    public int Length { get; }

    /// <summary>As compilers print it: <c>file:line:col: error EMxxxx: message</c>.</summary>
    public string Format(string file) => $"{file}:{Line}:{Column}: error {Id}: {Message}";

    public override string ToString() => $"{Line}:{Column}: error {Id}: {Message}";
}
