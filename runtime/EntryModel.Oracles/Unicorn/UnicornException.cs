namespace EntryModel.Oracles.Unicorn;

/// <summary>A Unicorn call failed; carries the uc_err code and uc_strerror's text.</summary>
public sealed class UnicornException : Exception
{
    public UnicornException(string operation, UnicornError error, string detail)
        : base($"{operation} failed: {error} ({detail})")
    {
        Operation = operation;
        Error = error;
    }

    public UnicornException()
    {
        Operation = string.Empty;
    }

    public UnicornException(string message)
        : base(message)
    {
        Operation = string.Empty;
    }

    public UnicornException(string message, Exception innerException)
        : base(message, innerException)
    {
        Operation = string.Empty;
    }

    /// <summary>The Unicorn function that failed, e.g. "uc_emu_start".</summary>
    public string Operation { get; }

    public UnicornError Error { get; }
}
