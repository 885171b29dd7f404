using EntryModel.Machine.Decoding;

namespace EntryModel.Machine.Memory;

/// <summary>
/// One mapped 4 KiB page: its bytes, permissions and the epoch that owns it. A page whose epoch is
/// older than the memory's current epoch is shared with a snapshot and is copied before a write.
/// </summary>
internal sealed class Page
{
    public Page(byte[] data, PagePermissions permissions, int epoch)
    {
        Data = data;
        Permissions = permissions;
        Epoch = epoch;
    }

    public byte[] Data { get; }

    public PagePermissions Permissions { get; }

    public int Epoch { get; }

    /// <summary>The decoded instructions of this page, while its bytes stay unchanged.</summary>
    public DecodedPage? Code { get; set; }

    /// <summary>
    /// For a copy made on a write (copy-on-write), the snapshot's page it was copied from: a restore
    /// to that snapshot puts these bytes back in place instead of dropping the copy.
    /// </summary>
    public Page? Original { get; set; }

    /// <summary>The restore generation in which this page was last written (<see cref="GuestMemory"/>'s dirty tracking).</summary>
    public int WrittenIn { get; set; } = -1;

}
