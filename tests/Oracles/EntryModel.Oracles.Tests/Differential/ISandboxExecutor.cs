namespace EntryModel.Oracles.Tests.Differential;

/// <summary>Something that can run a user-mode-safe sequence in the sandbox: the host CPU, Unicorn, the machine model.</summary>
public interface ISandboxExecutor : IDisposable
{
    /// <summary>Short name for failure messages ("host CPU", "Unicorn", "machine").</summary>
    string Name { get; }

    /// <summary>
    /// Runs <paramref name="code"/> (encoded for <see cref="SandboxLayout.SequenceAddress"/>, no trailing
    /// jump or return) from <paramref name="initial"/> to the end of the code and returns the final state.
    /// </summary>
    SandboxState Run(ReadOnlySpan<byte> code, SandboxState initial);
}
