using EntryModel.Scenarios.Catalog;
using EntryModel.Unwinding.Image;
using EntryModel.Unwinding.Tests.Support;

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
    public void A_common_call_is_one_whose_table_row_is_a_call_frame_above_rsp_with_rbp_untouched_or_saved_in_the_frame()
    {
        // The default model's ORC image keeps no frame pointers; the synthetic ORC kernel saves %rbp below the return address at one call.
        var synthetic = new UnwindImage(OrcKernel.Build(OrcKernel.With((SyntheticKernel.Middle + 5, OrcKernel.CallRow(OrcRegister.Sp, 32, OrcRegister.PrevSp, -24)))));
        int untouched = 0, saved = 0;
        foreach (var image in new[] { OrcImage(), synthetic })
        {
            var rows = image.OrcCallSites!;
            foreach (ulong ret in image.CallSites.ReturnAddresses.Append(0UL).Append(ulong.MaxValue))
            {
                // The rule, spelled out over the table's own row.
                bool inTable = ret != 0 && image.CallSites.TryGetTarget(ret, out _) && image.Orc!.TryFind(ret - 1, out _);
                image.Orc!.TryFind(ret - 1, out var row);
                bool call = inTable && row.Type == OrcType.Call && row.SpReg == OrcRegister.Sp && row.SpOffset >= 8;
                bool expectUntouched = call && row.BpReg == OrcRegister.Undefined;
                bool expectSaved = call && row.BpReg == OrcRegister.PrevSp && row.BpOffset <= -16 && row.BpOffset >= -row.SpOffset;

                bool common = rows.TryFindCommonCall(ret, out uint offset, out int savedBp);
                Assert.That(common, Is.EqualTo(expectUntouched || expectSaved), $"0x{ret:x}: {row}");
                if (common)
                {
                    Assert.That((offset, savedBp), Is.EqualTo(((uint)row.SpOffset, expectSaved ? (int)row.BpOffset : 0)), $"0x{ret:x}: {row}");
                    untouched += expectSaved ? 0 : 1;
                    saved += expectSaved ? 1 : 0;
                }
            }
        }

        Assert.That(untouched, Is.GreaterThan(20), "calls with %rbp untouched");
        Assert.That(saved, Is.Positive, "calls with %rbp saved in the frame");
    }

    [Test]
    public void An_address_no_call_returns_to_is_not_held()
    {
        var image = OrcImage();
        var rows = image.OrcCallSites!;
        var returns = image.CallSites.ReturnAddresses.ToHashSet();
        var others = returns.SelectMany(r => new[] { r - 1, r + 1, r + 2 }).Where(a => !returns.Contains(a)).Append(0UL).Append(ulong.MaxValue).ToList();

        Assert.That(others.Where(a => rows.TryFind(a, out _)), Is.Empty);
        Assert.That(others.Where(a => rows.TryFindCommonCall(a, out _, out _)), Is.Empty);
    }

    [Test]
    public void An_image_without_orc_tables_has_no_call_site_rows()
    {
        Assert.That(StrategyCatalog.TryGet("pt-regs-frame", out var image), Is.True);
        Assert.That(UnwindImage.For(image!).OrcCallSites, Is.Null);
    }
}
