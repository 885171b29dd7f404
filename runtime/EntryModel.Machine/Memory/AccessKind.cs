namespace EntryModel.Machine.Memory;

/// <summary>What kind of access a translation is for.</summary>
public enum AccessKind
{
    Read,
    Write,
    Execute,
}
