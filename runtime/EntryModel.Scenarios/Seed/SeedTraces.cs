namespace EntryModel.Scenarios.Seed;

/// <summary>
/// The two traces of the seed thread (LKML, May 2016, "sched: add task flag for preempt IRQ
/// tracking"), as printed there without their indentation: the acceptance table the default model
/// reproduces under the strategies <c>none</c> (Before) and <c>pt-regs-frame</c> (After).
/// </summary>
public static class SeedTraces
{
    public const string BeforeStrategy = "none";

    public const string AfterStrategy = "pt-regs-frame";

    public const string Scenario = "read-page-fault";

    /// <summary>The unwinder of the thread's next step: it reads the regs pointer beside the fake frame.</summary>
    public const string IdealUnwinder = "frame-ptregs";

    public static IReadOnlyList<string> Before { get; } =
    [
        "[<ffffffff8143c243>] dump_stack+0x85/0xc2",
        "[<ffffffff81073596>] __do_page_fault+0x576/0x5a0",
        "[<ffffffff8107369c>] trace_do_page_fault+0x5c/0x2e0",
        "[<ffffffff8106d83c>] do_async_page_fault+0x2c/0xa0",
        "[<ffffffff81887058>] async_page_fault+0x28/0x30",
        "[<ffffffff81451560>] ? copy_page_to_iter+0x70/0x440",
        "[<ffffffff811ebeac>] ? pagecache_get_page+0x2c/0x290",
        "[<ffffffff811edaeb>] generic_file_read_iter+0x26b/0x770",
        "[<ffffffff81285e32>] __vfs_read+0xe2/0x140",
        "[<ffffffff81286378>] vfs_read+0x98/0x140",
        "[<ffffffff812878c8>] SyS_read+0x58/0xc0",
        "[<ffffffff81884dbc>] entry_SYSCALL_64_fastpath+0x1f/0xbd",
    ];

    public static IReadOnlyList<string> After { get; } =
    [
        "[<ffffffff8143c243>] dump_stack+0x85/0xc2",
        "[<ffffffff81073596>] __do_page_fault+0x576/0x5a0",
        "[<ffffffff8107369c>] trace_do_page_fault+0x5c/0x2e0",
        "[<ffffffff8106d83c>] do_async_page_fault+0x2c/0xa0",
        "[<ffffffff81887422>] async_page_fault+0x32/0x40",
        "[<ffffffff81887861>] pt_regs+0x1/0x10",
        "[<ffffffff81451560>] ? copy_page_to_iter+0x70/0x440",
        "[<ffffffff811ebeac>] ? pagecache_get_page+0x2c/0x290",
        "[<ffffffff811edaeb>] generic_file_read_iter+0x26b/0x770",
        "[<ffffffff81285e32>] __vfs_read+0xe2/0x140",
        "[<ffffffff81286378>] vfs_read+0x98/0x140",
        "[<ffffffff812878c8>] SyS_read+0x58/0xc0",
        "[<ffffffff81884dc6>] entry_SYSCALL_64_fastpath+0x29/0xdb",
        "[<ffffffff81887861>] pt_regs+0x1/0x10",
    ];
}
