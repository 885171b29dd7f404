using System.Buffers.Binary;
using System.Text;

namespace EntryModel.Export.Dwarf;

/// <summary>
/// The bytes of one DWARF section as its encoders append them, little-endian as x86-64's are, with
/// the 32-bit DWARF format's unit lengths patched in once the unit's end is known.
/// </summary>
public sealed class DwarfBuffer
{
    private readonly List<byte> bytes = [];

    public int Position => bytes.Count;

    public void U8(byte value) => bytes.Add(value);

    public void S8(sbyte value) => bytes.Add(unchecked((byte)value));

    public void U16(ushort value)
    {
        Span<byte> word = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(word, value);
        bytes.AddRange(word);
    }

    public void U32(uint value)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(word, value);
        bytes.AddRange(word);
    }

    public void U64(ulong value)
    {
        Span<byte> word = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(word, value);
        bytes.AddRange(word);
    }

    public void Uleb(ulong value) => Leb128.WriteUnsigned(bytes, value);

    public void Sleb(long value) => Leb128.WriteSigned(bytes, value);

    public void Bytes(ReadOnlySpan<byte> value) => bytes.AddRange(value);

    /// <summary>A NUL-terminated UTF-8 string (DW_FORM_string, and the line table's names).</summary>
    public void CString(string value)
    {
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("a DWARF string cannot hold a NUL", nameof(value));
        }

        bytes.AddRange(Encoding.UTF8.GetBytes(value));
        bytes.Add(0);
    }

    /// <summary>Reserves a 32-bit length at the current position; <see cref="PatchLength"/> fills it.</summary>
    public int ReserveLength()
    {
        int at = Position;
        U32(0);
        return at;
    }

    /// <summary>Writes at <paramref name="at"/> the number of bytes after that length field, up to the current position.</summary>
    public void PatchLength(int at)
    {
        long length = Position - (at + 4);
        if (length >= 0xfffffff0)
        {
            throw new InvalidOperationException("a unit this long needs the 64-bit DWARF format");
        }

        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(word, (uint)length);
        for (int i = 0; i < 4; i++)
        {
            bytes[at + i] = word[i];
        }
    }

    public byte[] ToArray() => [.. bytes];
}
