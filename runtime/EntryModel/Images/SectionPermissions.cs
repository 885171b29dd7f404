namespace EntryModel;

/// <summary>How a section's pages are mapped.</summary>
[Flags]
public enum SectionPermissions
{
    None = 0,
    Writable = 1,
    Executable = 2,
    User = 4,
}
