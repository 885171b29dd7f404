using System.Buffers.Binary;
using System.Text;

namespace EntryModel.Kernel.Tests.Oracles;

/// <summary>One allocated section of a linked ELF file: name, load address and contents.</summary>
internal sealed record ElfSection(string Name, ulong Address, byte[] Bytes);

/// <summary>Reads the allocated PROGBITS sections of a little-endian ELF64 file (what ld linked).</summary>
internal static class ElfSections
{
    private const uint ProgBits = 1;
    private const ulong Alloc = 2;

    public static IReadOnlyList<ElfSection> Read(byte[] elf)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F' || elf[4] != 2 || elf[5] != 1)
        {
            throw new InvalidDataException("not a little-endian ELF64 file");
        }

        var span = elf.AsSpan();
        ulong shoff = BinaryPrimitives.ReadUInt64LittleEndian(span[0x28..]);
        int shentsize = BinaryPrimitives.ReadUInt16LittleEndian(span[0x3a..]);
        int shnum = BinaryPrimitives.ReadUInt16LittleEndian(span[0x3c..]);
        int shstrndx = BinaryPrimitives.ReadUInt16LittleEndian(span[0x3e..]);
        var names = Header(span, shoff, shentsize, shstrndx);

        var sections = new List<ElfSection>();
        for (int i = 0; i < shnum; i++)
        {
            var h = Header(span, shoff, shentsize, i);
            if (h.Type != ProgBits || (h.Flags & Alloc) == 0)
            {
                continue;
            }

            int nameStart = checked((int)(names.Offset + h.Name));
            int nameEnd = span[nameStart..].IndexOf((byte)0) + nameStart;
            string name = Encoding.ASCII.GetString(span[nameStart..nameEnd]);
            sections.Add(new ElfSection(name, h.Address, span.Slice(checked((int)h.Offset), checked((int)h.Size)).ToArray()));
        }

        return sections;
    }

    private static (uint Name, uint Type, ulong Flags, ulong Address, ulong Offset, ulong Size) Header(ReadOnlySpan<byte> elf, ulong shoff, int size, int index)
    {
        var h = elf.Slice(checked((int)shoff + (index * size)), size);
        return (
            BinaryPrimitives.ReadUInt32LittleEndian(h),
            BinaryPrimitives.ReadUInt32LittleEndian(h[4..]),
            BinaryPrimitives.ReadUInt64LittleEndian(h[8..]),
            BinaryPrimitives.ReadUInt64LittleEndian(h[0x10..]),
            BinaryPrimitives.ReadUInt64LittleEndian(h[0x18..]),
            BinaryPrimitives.ReadUInt64LittleEndian(h[0x20..]));
    }
}
