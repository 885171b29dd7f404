using EntryModel.Oracles.Unicorn;

namespace EntryModel.Oracles.Tests.Unicorn;

/// <summary>Oracle: Unicorn. The library must be present (CI installs libunicorn2) and be the 2.x API the binding was checked against.</summary>
[TestFixture]
public sealed class UnicornLibraryTests
{
    [Test]
    public void Libunicorn2_is_installed_and_speaks_the_2_x_api()
    {
        // EnsureAvailable's message tells CI and developers what to install when this fails.
        Assert.That(UnicornLibrary.EnsureAvailable, Throws.Nothing);
        Assert.That(UnicornLibrary.Version, Does.StartWith("2."));
    }

    [Test]
    public void Api_misuse_is_reported_with_unicorns_own_message()
    {
        using UnicornEngine engine = UnicornEngine.OpenX86_64();

        // Mapping needs 4 KiB alignment.
        var error = Assert.Throws<UnicornException>(() => engine.Map(0x1234, 0x1000, UnicornProtection.All))!;

        Assert.That(error.Error, Is.EqualTo(UnicornError.Argument));
        Assert.That(error.Message, Does.Contain("uc_mem_map"));
    }

    [Test]
    public void A_guest_fault_is_a_result_not_an_exception()
    {
        using UnicornEngine engine = UnicornEngine.OpenX86_64();
        engine.Map(0x10000, 0x1000, UnicornProtection.All);
        engine.WriteMemory(0x10000, [0x48, 0x8B, 0x04, 0x25, 0x00, 0x00, 0x00, 0x50]); // mov 0x50000000, %rax (unmapped)

        UnicornError error = engine.Run(0x10000, 0x10008);

        Assert.That(error, Is.EqualTo(UnicornError.ReadUnmapped));
    }
}
