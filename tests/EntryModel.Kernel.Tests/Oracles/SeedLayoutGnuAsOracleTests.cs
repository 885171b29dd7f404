namespace EntryModel.Kernel.Tests.Oracles;

/// <summary>
/// Oracle: GNU as (binutils) and ld. The default model's GAS text, built by the real assembler
/// per strategy, puts every function of the seed's traces at the seed's address with the seed's
/// size, and every call (and the fault) at the seed's offset.
/// </summary>
public class SeedLayoutGnuAsOracleTests
{
    // symbol, start, size, offset a call returns at (null: none), strategy (null: both)
    private static readonly object?[][] SeedRows =
    [
        ["dump_stack", 0xffffffff8143c1beUL, 0xc2, 0x85, null],
        ["__do_page_fault", 0xffffffff81073020UL, 0x5a0, 0x576, null],
        ["trace_do_page_fault", 0xffffffff81073640UL, 0x2e0, 0x5c, null],
        ["do_async_page_fault", 0xffffffff8106d810UL, 0xa0, 0x2c, null],
        ["async_page_fault", 0xffffffff81887030UL, 0x30, 0x28, "none"],
        ["async_page_fault", 0xffffffff818873f0UL, 0x40, 0x32, "pt-regs-frame"],
        ["pt_regs", 0xffffffff81887860UL, 0x10, null, "pt-regs-frame"],
        ["copy_page_to_iter", 0xffffffff814514f0UL, 0x440, null, null],
        ["pagecache_get_page", 0xffffffff811ebe80UL, 0x290, 0x2c, null],
        ["generic_file_read_iter", 0xffffffff811ed880UL, 0x770, 0x26b, null],
        ["__vfs_read", 0xffffffff81285d50UL, 0x140, 0xe2, null],
        ["vfs_read", 0xffffffff812862e0UL, 0x140, 0x98, null],
        ["SyS_read", 0xffffffff81287870UL, 0xc0, 0x58, null],
        ["entry_SYSCALL_64_fastpath", 0xffffffff81884d9dUL, 0xbd, 0x1f, "none"],
        ["entry_SYSCALL_64_fastpath", 0xffffffff81884d9dUL, 0xdb, 0x29, "pt-regs-frame"],
    ];

    private static IEnumerable<TestCaseData> Rows() =>
        from row in SeedRows
        from strategy in new[] { "none", "pt-regs-frame" }
        where row[4] is null || (string)row[4]! == strategy
        select new TestCaseData(strategy, row[0], row[1], row[2], row[3]).SetName($"{strategy}: {row[0]}");

    [TestCaseSource(nameof(Rows))]
    public void Seed_function_sits_at_the_seed_address_with_its_call_at_the_seed_offset(string strategy, string name, ulong start, int size, int? returnOffset)
    {
        var build = BuildOf(strategy);

        Assert.That(build.Symbols[name], Is.EqualTo(start), "start address");
        Assert.That(Extent(build, name), Is.EqualTo((ulong)size), "size");
        if (returnOffset is int offset)
        {
            Assert.That(build.ReturnAddresses(), Does.Contain(start + (ulong)offset), $"a call returning at +0x{offset:x}");
        }
    }

    [TestCase("none")]
    [TestCase("pt-regs-frame")]
    public void Copy_page_to_iter_writes_the_user_buffer_at_plus_0x70(string strategy)
    {
        var build = BuildOf(strategy);
        var at = build.Instructions.Single(i => i.Address == 0xffffffff814514f0UL + 0x70);

        Assert.That(at.Text, Does.StartWith("rep movsb"));
    }

    [TestCaseSource(nameof(AllStrategies))]
    public void Every_declaration_fits_its_fixed_size(string strategy)
    {
        var build = BuildOf(strategy);
        foreach (var decl in KernelModelText.Declarations.Where(d => d.Attribute.Size != 0))
        {
            Assert.That(build.CodeLengths.GetValueOrDefault(decl.Name), Is.LessThanOrEqualTo(decl.Attribute.Size), decl.Name);
        }
    }

    private static IEnumerable<string> AllStrategies() => KernelModelText.Strategies.Select(s => s.Name);

    /// <summary>A symbol's kallsyms size: a declaration's fixed size, else the distance to the next symbol or the end of its run.</summary>
    private static ulong Extent(GnuAsKernelBuild build, string name)
    {
        var decl = KernelModelText.Declarations.FirstOrDefault(d => d.Name == name);
        if (decl is not null && decl.Attribute.Size != 0)
        {
            return (ulong)decl.Attribute.Size;
        }

        ulong start = build.Symbols[name];
        ulong next = build.Symbols.Values.Where(a => a > start).DefaultIfEmpty(ulong.MaxValue).Min();
        if (decl is not null && decl.Attribute.Address == 0 && build.SectionEnds.TryGetValue(decl.Attribute.Section, out ulong end))
        {
            next = Math.Min(next, end);
        }

        return next - start;
    }

    private static GnuAsKernelBuild BuildOf(string strategy) => GnuAsKernelBuild.Of(strategy);
}
