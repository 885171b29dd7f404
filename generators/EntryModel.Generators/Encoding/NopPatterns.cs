namespace EntryModel.Generators.Encoding;

/// <summary>
/// The multi-byte NOPs GNU as pads code with (its 64-bit "alt" patterns): the longest pattern first,
/// then one for the remainder.
/// </summary>
internal static class NopPatterns
{
    private static readonly byte[][] Patterns =
    {
        System.Array.Empty<byte>(),
        new byte[] { 0x90 },
        new byte[] { 0x66, 0x90 },
        new byte[] { 0x0f, 0x1f, 0x00 },
        new byte[] { 0x0f, 0x1f, 0x40, 0x00 },
        new byte[] { 0x0f, 0x1f, 0x44, 0x00, 0x00 },
        new byte[] { 0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00 },
        new byte[] { 0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00 },
        new byte[] { 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00 },
        new byte[] { 0x66, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00 },
        new byte[] { 0x66, 0x2e, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00 },
        new byte[] { 0x66, 0x66, 0x2e, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00 },
    };

    public static int MaxSingle => Patterns.Length - 1;

    /// <summary>Writes <paramref name="count"/> bytes of NOPs into <paramref name="buffer"/> at <paramref name="at"/>.</summary>
    public static void Fill(byte[] buffer, int at, int count)
    {
        while (count > 0)
        {
            int n = count > MaxSingle ? MaxSingle : count;
            Patterns[n].CopyTo(buffer, at);
            at += n;
            count -= n;
        }
    }
}
