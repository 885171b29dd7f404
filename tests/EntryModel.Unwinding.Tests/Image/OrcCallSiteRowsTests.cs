using EntryModel.Scenarios.Catalog;
using EntryModel.Unwinding.Image;

namespace EntryModel.Unwinding.Tests.Image;

/// <summary>
/// The call sites' rows are copies of what the ORC table's own lookup gives at the byte before
/// each return address (the oracle: <see cref="OrcTable.TryFind"/>), on the default model's ORC
/// image; any other address is not held, so that the unwinder asks the table.
/// </summary>
public sealed class OrcCallSiteRowsTests
{
    private static UnwindImage OrcImage()
    {
        Assert.That(StrategyCatalog.TryGet("orc", out var image), Is.True);
        return UnwindImage.For(image!);
    }

    [Test]
    public void Every_call_site_holds_the_row_the_table_finds_at_the_byte_before_its_return_address()
    {
        var image = OrcImage();
        var rows = image.OrcCallSites!;
        int covered = 0;
        foreach (ulong ret in image.CallSites.ReturnAddresses)
        {
            bool inTable = image.Orc!.TryFind(ret - 1, out var expected);
            Assert.That(rows.TryFind(ret, out var row), Is.EqualTo(inTable), $"0x{ret:x}");
            if (inTable)
            {
                covered++;
                Assert.That(row, Is.EqualTo(expected), $"0x{ret:x}");
            }
        }

        Assert.That(covered, Is.GreaterThan(100), "the default model's calls");
        Assert.That(rows.Count, Is.EqualTo(covered));
    }

    [Test]
    public void An_address_no_call_returns_to_is_not_held()
    {
        var image = OrcImage();
        var rows = image.OrcCallSites!;
        var returns = image.CallSites.ReturnAddresses.ToHashSet();
        var others = returns.SelectMany(r => new[] { r - 1, r + 1, r + 2 }).Where(a => !returns.Contains(a)).Append(0UL).Append(ulong.MaxValue).ToList();

        Assert.That(others.Where(a => rows.TryFind(a, out _)), Is.Empty);
    }

    [Test]
    public void An_image_without_orc_tables_has_no_call_site_rows()
    {
        Assert.That(StrategyCatalog.TryGet("pt-regs-frame", out var image), Is.True);
        Assert.That(UnwindImage.For(image!).OrcCallSites, Is.Null);
    }
}
