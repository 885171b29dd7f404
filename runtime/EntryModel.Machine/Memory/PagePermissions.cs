namespace EntryModel.Machine.Memory;

/// <summary>How a present 4 KiB page may be used. Reading is implied by presence.</summary>
[Flags]
public enum PagePermissions : byte
{
    /// <summary>Present, read-only, supervisor-only, not executable.</summary>
    None = 0,
    Writable = 1,
    Executable = 2,
    User = 4,
    ReadWrite = Writable,
    ReadExecute = Executable,
}
