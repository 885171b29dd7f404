namespace EntryModel.Machine.Memory;

/// <summary>Why the last guest access failed: a page fault (with CR2 and error code) or a non-canonical address.</summary>
internal struct MemoryFault
{
    public bool NonCanonical;
    public ulong Address;
    public PageFaultErrorCode ErrorCode;
}
