using System.Collections.Generic;
using System.Numerics;

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

        WriteSigned(into, value, extraBit: value < 0);
    }

    /// <summary>
    /// Appends a signed value whose 65th bit is <paramref name="extraBit"/> (GNU as's X_extrabit): when
    /// the 64-bit sign disagrees, the number is 2^64 past it (0x8000000000000000 is +2^63).
    /// </summary>
    public static void WriteSigned(List<byte> into, long value, bool extraBit)
    {
        // The 65-bit two's complement number: the low 64 bits, then the sign (2^64 below them when
        // the extra bit is set), so one loop serves the plain and the wide values alike.
        var wide = new BigInteger(unchecked((ulong)value)) - (extraBit ? BigInteger.One << 64 : BigInteger.Zero);
        while (true)
        {
            byte b = (byte)(int)(wide & 0x7f);
            wide >>= 7;
            bool done = (wide.IsZero && (b & 0x40) == 0) || (wide == BigInteger.MinusOne && (b & 0x40) != 0);
            into.Add(done ? b : (byte)(b | 0x80));
            if (done)
            {
                return;
            }
        }
    }
}
