using EntryModel.Machine.Cpu;
using EntryModel.Machine.Execution;

namespace EntryModel.Scenarios.Running;

/// <summary>Where a run stopped for a core dump: the context's registers then, and its stack as the unwinders take it.</summary>
public sealed record CorePointStop(CpuState Cpu, StackCapture Capture, string Description);

/// <summary>
/// Runs a prepared scenario to the point a core dump is asked for: the first time RIP reaches a
/// symbol (the context stopped on its first instruction), or <see cref="Dump"/>, the first
/// DUMP_STACK (the context that made the hypercall, as the kernel's dump_stack sees itself).
/// </summary>
public static class CorePoint
{
    /// <summary>The point name that means the scenario's first DUMP_STACK.</summary>
    public const string Dump = "dump";

    /// <summary>Runs <paramref name="session"/> to <paramref name="point"/>; null with the reason when the run never gets there.</summary>
    public static CorePointStop? RunTo(ScenarioSession session, string point, out string? failure)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(point);
        return point == Dump ? RunToDump(session, out failure) : RunToSymbol(session, point, out failure);
    }

    /// <summary>Whether <paramref name="point"/> names something of <paramref name="image"/> a run can stop at.</summary>
    public static bool IsKnown(KernelImage image, string point) =>
        point == Dump || (image?.Symbols.TryGet(point, out var symbol) == true && symbol.Kind != SymbolKind.Data);

    private static CorePointStop? RunToSymbol(ScenarioSession session, string symbol, out string? failure)
    {
        ulong address = session.Kernel.Symbol(symbol);
        var stop = session.RunUntil(symbol);
        if (stop.Kind != StopKind.Breakpoint || session.Machine.Cpu.Rip != address)
        {
            failure = $"the run never reached {symbol} (0x{address:x}): {stop}";
            return null;
        }

        failure = null;
        return new CorePointStop(session.Machine.Cpu, session.CaptureHere(), $"at {symbol} (0x{address:x})");
    }

    private static CorePointStop? RunToDump(ScenarioSession session, out string? failure)
    {
        CorePointStop? result = null;
        session.ClaimDump = capture =>
        {
            // The hypercall is being handled: the CPU is the context that asked for the dump.
            result ??= new CorePointStop(session.Machine.Cpu, capture, $"at the first DUMP_STACK, rip 0x{session.Machine.Cpu.Rip:x}");
            return true;
        };
        session.StopWhenClaimed = true;
        try
        {
            var stop = session.Run();
            failure = result is null ? $"the run made no DUMP_STACK: {stop}" : null;
            return result;
        }
        finally
        {
            session.ClaimDump = null;
            session.StopWhenClaimed = false;
        }
    }
}
