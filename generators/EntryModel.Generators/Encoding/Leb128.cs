using System.Collections.Generic;

namespace EntryModel.Generators.Encoding;

/// <summary>DWARF's variable-length numbers (LEB128), for <c>.uleb128</c>/<c>.sleb128</c> and call frame instructions.</summary>
internal static class Leb128
{
    /// <summary>Appends <paramref name="value"/> as ULEB128 (its bits read unsigned) or SLEB128.</summary>
    public static void Write(List<byte> into, long value, bool signed)
    {
        if (!signed)
        {
            ulong v = unchecked((ulong)value);
            do
            {
                byte b = (byte)(v & 0x7f);
                v >>= 7;
                into.Add(v != 0 ? (byte)(b | 0x80) : b);
            }
            while (v != 0);
            return;
        }

        while (true)
        {
            byte b = (byte)(value & 0x7f);
            value >>= 7;
            bool done = (value == 0 && (b & 0x40) == 0) || (value == -1 && (b & 0x40) != 0);
            into.Add(done ? b : (byte)(b | 0x80));
            if (done)
            {
                return;
            }
        }
    }

    /// <summary>The encoding of <paramref name="value"/>.</summary>
    public static byte[] Encode(long value, bool signed)
    {
        var bytes = new List<byte>(10);
        Write(bytes, value, signed);
        return bytes.ToArray();
    }
}
