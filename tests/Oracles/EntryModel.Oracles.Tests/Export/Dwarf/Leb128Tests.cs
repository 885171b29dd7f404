using EntryModel.Export.Dwarf;

namespace EntryModel.Oracles.Tests.Export.Dwarf;

/// <summary>Oracle: the DWARF 4 standard's own examples of LEB128 (figures 22 and 23 of section 7.6), and the widest values.</summary>
public sealed class Leb128Tests
{
    [TestCase(2UL, new byte[] { 0x02 })]
    [TestCase(127UL, new byte[] { 0x7f })]
    [TestCase(128UL, new byte[] { 0x80, 0x01 })]
    [TestCase(129UL, new byte[] { 0x81, 0x01 })]
    [TestCase(130UL, new byte[] { 0x82, 0x01 })]
    [TestCase(12857UL, new byte[] { 0xb9, 0x64 })]
    [TestCase(ulong.MaxValue, new byte[] { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01 })]
    public void Unsigned_values_encode_as_the_standard_shows(ulong value, byte[] expected)
    {
        var bytes = new List<byte>();
        Leb128.WriteUnsigned(bytes, value);
        Assert.That(bytes, Is.EqualTo(expected));
    }

    [TestCase(2L, new byte[] { 0x02 })]
    [TestCase(-2L, new byte[] { 0x7e })]
    [TestCase(127L, new byte[] { 0xff, 0x00 })]
    [TestCase(-127L, new byte[] { 0x81, 0x7f })]
    [TestCase(128L, new byte[] { 0x80, 0x01 })]
    [TestCase(-128L, new byte[] { 0x80, 0x7f })]
    [TestCase(129L, new byte[] { 0x81, 0x01 })]
    [TestCase(-129L, new byte[] { 0xff, 0x7e })]
    [TestCase(long.MinValue, new byte[] { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f })]
    public void Signed_values_encode_as_the_standard_shows(long value, byte[] expected)
    {
        var bytes = new List<byte>();
        Leb128.WriteSigned(bytes, value);
        Assert.That(bytes, Is.EqualTo(expected));
    }
}
