using EntryModel.Machine.Execution;
using EntryModel.Machine.Observers;
using EntryModel.Scenarios.Catalog;
using EntryModel.Scenarios.Running;
using EntryModel.Scenarios.Reporting;

namespace EntryModel.Analysis.Cost;

/// <summary>
/// Measures a strategy's entry costs on the default model: the seed's page fault (an exception
/// with an error code), the read() syscall, and the watchdog timer taken inside copy_page_to_iter
/// (an interrupt that switches to the IRQ stack). Each path runs on the machine from its entry to
/// its handler and from the handler's return to the return to the interrupted context.
/// </summary>
public static class StrategyCosts
{
    public const string PageFault = "page fault";
    public const string Syscall = "syscall";
    public const string Interrupt = "interrupt";

    public static StrategyCost Measure(KernelImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return new StrategyCost(image.Strategy, CatalogListing.EntryCodeBytes(image), CatalogListing.UnwindTableBytes(image),
        [
            Path(image, PageFault, "async_page_fault", "do_async_page_fault", null),
            Path(image, Syscall, "entry_SYSCALL_64", "SyS_read", null),
            Path(image, Interrupt, "apic_watchdog_interrupt", "smp_watchdog_interrupt", "copy_page_to_iter"),
        ]);
    }

    private static EventPathCost Path(KernelImage image, string name, string entry, string handler, string? interruptAt)
    {
        ScenarioCatalog.TryGet("read-page-fault", out var scenario);
        var session = scenario.Prepare(image);
        if (interruptAt is not null)
        {
            session.When(interruptAt, s => s.Machine.InjectInterrupt(0xee));
        }

        Expect(session.RunUntil(entry), entry);
        long entered = session.Machine.Retired;
        ulong entryRsp = session.Machine.Cpu.Gpr[4];
        Expect(session.RunUntil(handler), handler);
        long inHandler = session.Machine.Retired;
        ulong handlerRsp = session.Machine.Cpu.Gpr[4];

        // From the handler's return (its return address is on top of the stack) to the return to the interrupted context.
        ulong back = session.Machine.Memory.ReadUInt64(handlerRsp);
        var returnedAt = session.Machine.RunUntil(back);
        Expect(returnedAt, $"the return from {handler}");
        long returned = session.Machine.Retired;
        var counter = new EventCounter();
        session.Machine.Attach(counter);
        while (counter.Irets + counter.Sysrets == 0)
        {
            var step = session.Machine.Step();
            if (step.Kind != StopKind.InstructionCount)
            {
                throw new InvalidOperationException($"{image.Strategy}: the {name} path did not return ({step})");
            }
        }

        session.Machine.Detach(counter);

        // The syscall's RSP at entry is the user's: count its stack from the kernel stack's top instead.
        long stack = name == Syscall ? (long)(session.Kernel.InitTask.Stack.Top - handlerRsp) : (long)(entryRsp - handlerRsp);
        return new EventPathCost(name, inHandler - entered, stack, session.Machine.Retired - returned);
    }

    private static void Expect(StopReason stop, string what)
    {
        if (stop.Kind != StopKind.Breakpoint)
        {
            throw new InvalidOperationException($"the cost path never reached {what} ({stop})");
        }
    }
}
