namespace EntryModel.Machine.Memory;

/// <summary>One direct-mapped software TLB slot: a virtual page number and the bytes it maps to.</summary>
internal struct TlbEntry
{
    public const ulong Invalid = ulong.MaxValue;

    public ulong Tag;
    public byte[]? Data;
}
