namespace EntryModel.Scenarios.Inspection;

/// <summary>Reads an image's bytes by address straight from its chunks, without booting it.</summary>
public static class ImageBytes
{
    /// <summary>The bytes of [<paramref name="address"/>, +<paramref name="length"/>), or null when a chunk does not cover all of them.</summary>
    public static byte[]? TryRead(KernelImage image, ulong address, int length)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        foreach (var chunk in image.Chunks)
        {
            if (address >= chunk.Address && address + (ulong)length <= chunk.End)
            {
                return chunk.Bytes.AsSpan((int)(address - chunk.Address), length).ToArray();
            }
        }

        return null;
    }
}
