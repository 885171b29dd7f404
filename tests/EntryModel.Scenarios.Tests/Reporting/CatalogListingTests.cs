using EntryModel.Kernel;
using EntryModel.Scenarios.Reporting;

namespace EntryModel.Scenarios.Tests.Reporting;

/// <summary>What `list strategies` counts as unwind tables: the section strategy's entry records and the orc image's ORC tables.</summary>
public class CatalogListingTests
{
    [Test]
    public void The_orc_image_counts_its_orc_tables_as_the_kernel_holds_them()
    {
        var orc = DefaultKernel.GetImage("orc");
        Assert.That(orc.Orc, Is.Not.Null);
        long expected = (4L * orc.Orc!.Count) + (6L * orc.Orc.Count) + (4L * orc.Orc.Lookup.Count);
        Assert.That(CatalogListing.UnwindTableBytes(orc), Is.EqualTo(expected).And.GreaterThan(0));
        Assert.That(CatalogListing.Strategies().Any(l => l.Contains($"unwind tables: {expected} bytes", StringComparison.Ordinal)), Is.True);
    }

    [Test]
    public void Frame_pointer_images_carry_no_orc_tables_and_only_section_has_entry_records()
    {
        foreach (var image in DefaultKernel.Images.Where(i => i.Strategy != "orc"))
        {
            Assert.That(image.Orc, Is.Null, image.Strategy);
            Assert.That(CatalogListing.UnwindTableBytes(image) > 0, Is.EqualTo(image.Strategy == "section"), image.Strategy);
        }
    }
}
