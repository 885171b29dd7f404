namespace EntryModel.Machine.Decoding;

/// <summary>A cached fetch translation: a code page number and its decoded page (valid while not stale).</summary>
internal struct FetchTlbEntry
{
    public ulong Vpn;
    public DecodedPage? Page;
}
