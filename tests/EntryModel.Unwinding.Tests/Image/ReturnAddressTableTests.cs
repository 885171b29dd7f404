using CsCheck;
using EntryModel.Unwinding.Image;

namespace EntryModel.Unwinding.Tests.Image;

/// <summary>The open-addressed return-address table against a dictionary of the same entries (the oracle).</summary>
public sealed class ReturnAddressTableTests
{
    [Test]
    public void Every_address_is_found_with_its_first_value_and_no_other_address_is()
    {
        // Clustered addresses (as return addresses in one text section are) and arbitrary ones, with repeats.
        var address = Gen.OneOf(Gen.ULong[0xffffffff81000000, 0xffffffff81000400], Gen.ULong);
        Gen.Select(Gen.Select(address, Gen.Int).Array[0, 300], address.Array[0, 50]).Sample((entries, others) =>
        {
            var table = new ReturnAddressTable<int>(entries.Select(e => (e.Item1, e.Item2)));
            var oracle = new Dictionary<ulong, int>();
            foreach (var (ret, value) in entries)
            {
                if (ret != 0)
                {
                    oracle.TryAdd(ret, value);
                }
            }

            if (table.Count != oracle.Count)
            {
                throw new InvalidOperationException($"{table.Count} held, {oracle.Count} expected");
            }

            foreach (ulong ret in entries.Select(e => e.Item1).Concat(others).Append(0UL))
            {
                bool expected = oracle.TryGetValue(ret, out int value);
                if (table.TryGetValue(ret, out int got) != expected || (expected && got != value))
                {
                    throw new InvalidOperationException($"0x{ret:x}: {(expected ? value.ToString(System.Globalization.CultureInfo.InvariantCulture) : "absent")} expected");
                }
            }
        });
    }

    [Test]
    public void An_empty_table_finds_nothing()
    {
        var table = new ReturnAddressTable<long>([]);
        Assert.That(table.Count, Is.Zero);
        Assert.That(table.TryGetValue(0xffffffff81000000, out _), Is.False);
        Assert.That(table.TryGetValue(0, out _), Is.False);
    }
}
