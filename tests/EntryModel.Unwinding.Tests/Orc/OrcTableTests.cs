namespace EntryModel.Unwinding.Tests.Orc;

/// <summary>
/// The ORC tables as the kernel holds them: the fast lookup table finds the same row as a plain
/// search of the sorted rows for every address, and the self-relative ip table encodes each row's
/// address against its own slot.
/// </summary>
public class OrcTableTests
{
    private const ulong Text = 0xffffffff81000000;

    private static OrcEntry Row(short sp) => new(sp, 0, OrcRegister.Sp, OrcRegister.Undefined, OrcType.Call, false);

    [Test]
    public void Lookup_finds_the_last_row_at_or_below_every_address_as_a_plain_search_does()
    {
        var random = new Random(12);
        var ips = Enumerable.Range(0, 400).Select(_ => Text + (ulong)random.Next(0x10, 0x8000)).Distinct().Order().ToList();
        var rows = ips.Select((_, i) => Row((short)(8 + (8 * (i % 5))))).ToList();
        var table = new OrcTable(ips, rows, Text, Text + 0x8000);

        for (ulong ip = Text - 0x10; ip < Text + 0x8010; ip += 3)
        {
            int expected = ips.FindLastIndex(x => x <= ip);
            bool covered = ip >= Text && ip < Text + 0x8000 && expected >= 0;

            Assert.That(table.TryFind(ip, out var entry), Is.EqualTo(covered), $"0x{ip:x}");
            if (covered)
            {
                Assert.That(entry, Is.EqualTo(rows[expected]), $"0x{ip:x}");
            }
        }
    }

    [Test]
    public void Sizes_are_the_kernels_four_and_six_bytes_a_row_and_four_a_block()
    {
        var table = new OrcTable([Text, Text + 0x300], [Row(8), Row(16)], Text, Text + 0x1000);

        Assert.That(table.IpTableBytes, Is.EqualTo(8));
        Assert.That(table.EntryTableBytes, Is.EqualTo(12));
        Assert.That(table.Lookup, Has.Count.EqualTo((0x1000 / OrcTable.LookupBlockSize) + 1));
        Assert.That(table.Lookup.Take(4), Is.EqualTo(new uint[] { 0, 0, 0, 1 }), "the block at +0x300 starts under the second row");
        Assert.That(table.TotalBytes, Is.EqualTo(8 + 12 + (4 * table.Lookup.Count)));
    }

    [Test]
    public void Ip_table_is_self_relative_and_entry_table_packed()
    {
        var table = new OrcTable([Text + 4, Text + 0x20], [Row(8), Row(24)], Text, Text + 0x100);
        ulong at = Text + 0x10000;
        byte[] ip = table.IpTable(at);
        byte[] entries = table.EntryTable();

        Assert.That(BitConverter.ToInt32(ip, 0), Is.EqualTo(-(0x10000 - 4)));
        Assert.That(BitConverter.ToInt32(ip, 4), Is.EqualTo(-(0x10000 + 4 - 0x20)));
        Assert.That(OrcEntry.Read(entries.AsSpan(6)), Is.EqualTo(Row(24)));
    }

    [Test]
    public void Rows_out_of_order_are_refused()
    {
        Assert.That(() => new OrcTable([Text + 8, Text + 8], [Row(8), Row(8)], Text, Text + 0x100), Throws.ArgumentException);
    }
}

/// <summary>The row search against the plain definition (the last row at or below the address) on random tables, dense and sparse.</summary>
public class OrcTableSearchTests
{
    [Test]
    public void Every_address_finds_the_last_row_at_or_below_it_as_a_plain_search_does()
    {
        for (int seed = 0; seed < 200; seed++)
        {
            var random = new Random(seed);
            ulong start = 0xffffffff81000000UL + (ulong)random.Next(0, 4096);
            ulong span = (ulong)random.Next(64, 8192);
            int count = random.Next(0, seed % 2 == 0 ? 20 : 400);
            var ips = Enumerable.Range(0, count).Select(_ => start - 64 + (ulong)random.Next(0, (int)span + 128)).Distinct().Order().ToList();
            var entries = ips.Select((_, i) => new OrcEntry((short)(8 * (i + 1)), 0, OrcRegister.Sp, OrcRegister.Undefined, OrcType.Call, false)).ToList();
            var table = new OrcTable(ips, entries, start, start + span);
            for (ulong ip = start - 8; ip < start + span + 8; ip++)
            {
                int plain = ip >= start && ip < start + span ? ips.FindLastIndex(a => a <= ip) : -1;
                bool found = table.TryFind(ip, out var entry);
                Assert.That(found, Is.EqualTo(plain >= 0), $"seed {seed}, 0x{ip:x}");
                if (plain >= 0)
                {
                    Assert.That(entry, Is.EqualTo(entries[plain]), $"seed {seed}, 0x{ip:x}");
                }
            }
        }
    }
}
