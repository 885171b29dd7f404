namespace EntryModel.Machine.Execution;

/// <summary>The model's paravirtual interface (VMCALL at CPL 0): RAX = number, RDI/RSI/RDX = arguments, result in RAX.</summary>
public static class HypercallNumber
{
    /// <summary>RDI = page-aligned address, RSI = permissions (1 writable, 2 executable, 4 user): maps a zeroed page.</summary>
    public const ulong MapPage = 1;

    /// <summary>The host captures or prints the current task's stack at this point.</summary>
    public const ulong DumpStack = 2;

    /// <summary>RDI = exit code; the run ends.</summary>
    public const ulong PowerOff = 3;

    /// <summary>RDI = a value to log.</summary>
    public const ulong Log = 4;
}
