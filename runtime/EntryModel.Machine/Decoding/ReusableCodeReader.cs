using Iced.Intel;

namespace EntryModel.Machine.Decoding;

/// <summary>An Iced code reader over a fixed 16-byte buffer that is refilled for every decode, so decoding allocates nothing.</summary>
internal sealed class ReusableCodeReader : CodeReader
{
    private int position;

    public byte[] Buffer { get; } = new byte[16];

    public int Length { get; private set; }

    public void Reset(int length)
    {
        Length = length;
        position = 0;
    }

    public override int ReadByte() => position < Length ? Buffer[position++] : -1;
}
