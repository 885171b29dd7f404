using Iced.Intel;

namespace EntryModel.Machine.Tests.Support;

/// <summary>Collects the bytes Iced's assembler emits.</summary>
internal sealed class ByteListWriter : CodeWriter
{
    public List<byte> Bytes { get; } = [];

    public override void WriteByte(byte value) => Bytes.Add(value);
}
