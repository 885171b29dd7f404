namespace EntryModel.Generators.Encoding;

/// <summary>
/// The multi-byte NOPs GNU as pads code with: the longest pattern first, then one for the
/// remainder. 64-bit code gets its "alt" patterns (0f 1f); 32-bit code (as --32, whose default
/// i386 architecture has no long NOP) its "f32" ones (lea 0(%esi),%esi), which lack a 5-byte
/// pattern: the 4-byte one and a one-byte NOP stand in. Padding longer than a few of the longest
/// NOPs (more than 7 of them in 64-bit code, 2 in 32-bit) starts with a jump over the rest, as
/// GNU as's i386_generate_nops does.
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

    private static readonly byte[][] Patterns32 =
    {
        System.Array.Empty<byte>(),
        new byte[] { 0x90 },
        new byte[] { 0x66, 0x90 },
        new byte[] { 0x8d, 0x76, 0x00 },
        new byte[] { 0x8d, 0x74, 0x26, 0x00 },
        new byte[] { 0x8d, 0x74, 0x26, 0x00, 0x90 },
        new byte[] { 0x8d, 0xb6, 0x00, 0x00, 0x00, 0x00 },
        new byte[] { 0x8d, 0xb4, 0x26, 0x00, 0x00, 0x00, 0x00 },
    };

    public static int MaxSingle => Patterns.Length - 1;

    /// <summary>Writes <paramref name="count"/> bytes of NOPs for code of <paramref name="bitness"/> into <paramref name="buffer"/> at <paramref name="at"/>.</summary>
    public static void Fill(byte[] buffer, int at, int count, int bitness = 64)
    {
        var patterns = bitness == 32 ? Patterns32 : Patterns;
        int max = patterns.Length - 1;
        int maxNops = bitness == 32 ? 2 : 7;
        if (count / max > maxNops)
        {
            if (count - 2 <= 127)
            {
                buffer[at] = 0xeb;
                buffer[at + 1] = (byte)(count - 2);
                at += 2;
                count -= 2;
            }
            else
            {
                int over = count - 5;
                buffer[at] = 0xe9;
                for (int k = 0; k < 4; k++)
                {
                    buffer[at + 1 + k] = (byte)(over >> (8 * k));
                }

                at += 5;
                count = over;
            }
        }

        while (count > 0)
        {
            int n = count > max ? max : count;
            patterns[n].CopyTo(buffer, at);
            at += n;
            count -= n;
        }
    }
}
