namespace EntryModel;

/// <summary>A contiguous run of assembled bytes at a fixed address inside one section.</summary>
public sealed class ImageChunk
{
    public ImageChunk(string section, ulong address, byte[] bytes, SectionPermissions flags)
    {
        Section = section;
        Address = address;
        Bytes = bytes;
        Flags = flags;
    }

    public string Section { get; }

    public ulong Address { get; }

    public ulong End => Address + (ulong)Bytes.Length;

#pragma warning disable CA1819 // An image is a plain container of bytes loaded into the machine.
    public byte[] Bytes { get; }
#pragma warning restore CA1819

    public SectionPermissions Flags { get; }
}
