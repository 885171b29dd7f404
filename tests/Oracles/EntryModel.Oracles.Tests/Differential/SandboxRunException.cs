namespace EntryModel.Oracles.Tests.Differential;

/// <summary>An executor could not run a sequence to its end (a fault, a stop elsewhere); a differential test records it as a disagreement.</summary>
public sealed class SandboxRunException : Exception
{
    public SandboxRunException()
    {
    }

    public SandboxRunException(string message)
        : base(message)
    {
    }

    public SandboxRunException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
