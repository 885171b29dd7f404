namespace EntryModel.Export.Dwarf;

/// <summary>DWARF's variable-length integers (DWARF 4, 7.6): seven bits a byte, low bits first, the top bit set on every byte but the last.</summary>
public static class Leb128
{
    public static void WriteUnsigned(List<byte> destination, ulong value)
    {
        ArgumentNullException.ThrowIfNull(destination);
        do
        {
            byte low = (byte)(value & 0x7f);
            value >>= 7;
            destination.Add(value != 0 ? (byte)(low | 0x80) : low);
        }
        while (value != 0);
    }

    public static void WriteSigned(List<byte> destination, long value)
    {
        ArgumentNullException.ThrowIfNull(destination);
        while (true)
        {
            byte low = (byte)(value & 0x7f);
            value >>= 7;

            // Done when the rest is all sign: zeros under a clear bit 6, ones under a set one.
            if ((value == 0 && (low & 0x40) == 0) || (value == -1 && (low & 0x40) != 0))
            {
                destination.Add(low);
                return;
            }

            destination.Add((byte)(low | 0x80));
        }
    }
}
