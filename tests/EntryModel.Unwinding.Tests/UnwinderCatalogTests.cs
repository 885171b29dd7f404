using EntryModel.Unwinding.Image;
using EntryModel.Unwinding.Tests.Support;
using EntryModel.Unwinding.Unwinders;

namespace EntryModel.Unwinding.Tests;

/// <summary>The catalog's orc entries: named, offered where an image has ORC tables, the ORC strategy's own only then.</summary>
public sealed class UnwinderCatalogTests
{
    [Test]
    public void Orc_is_a_named_unwinder()
    {
        Assert.That(UnwinderCatalog.Names, Does.Contain("orc"));
        Assert.That(UnwinderCatalog.Create("orc", OrcKernel.Unwind), Is.InstanceOf<OrcUnwinder>());
    }

    [Test]
    public void An_orc_image_with_tables_offers_orc_as_its_own()
    {
        var image = OrcKernel.Built;

        Assert.That(UnwinderCatalog.For(image), Is.EqualTo(new[] { "guess", "orc" }));
        Assert.That(UnwinderCatalog.Own(image, out string? missing), Is.EqualTo("orc"));
        Assert.That(missing, Is.Null);
    }

    [Test]
    public void An_orc_image_without_tables_has_no_unwinder_of_its_own_and_says_why()
    {
        var image = OrcKernel.Build(tables: false);

        Assert.That(UnwinderCatalog.For(image), Is.EqualTo(new[] { "guess" }));
        Assert.That(UnwinderCatalog.Own(image, out string? missing), Is.Null);
        Assert.That(missing, Does.Contain("no ORC tables").And.Contain("--unwinder guess"));
    }

    [Test]
    public void Images_without_orc_tables_do_not_offer_orc()
    {
        Assert.That(UnwinderCatalog.For(SyntheticKernel.Built), Does.Not.Contain("orc"));
    }

    [Test]
    public void The_unwind_image_exposes_the_orc_table_and_ret_from_fork()
    {
        Assert.That(OrcKernel.Unwind.Orc, Is.SameAs(OrcKernel.Built.Orc).And.Not.Null);
        Assert.That(OrcKernel.Unwind.RetFromFork, Is.EqualTo(OrcKernel.RetFromFork));
        Assert.That(SyntheticKernel.Unwind.Orc, Is.Null);
        Assert.That(new UnwindImage(SyntheticKernel.Built).RetFromFork, Is.Zero);
    }
}
