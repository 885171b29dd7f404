using EntryModel.Unwinding;

namespace EntryModel.Scenarios.Reporting;

/// <summary>
/// How a scenario report walks and prints its captured stacks: which unwinder (null for the
/// strategy's own), whether it shows reliable mode's answer, which printer (null: classic for the
/// unwinders that cannot see pt_regs, smart for the rest), and whether boundaries show saved registers.
/// </summary>
public sealed record ReportOptions(string? Unwinder = null, bool Reliable = false, PrinterKind? Printer = null, bool Registers = false)
{
    public static ReportOptions Default { get; } = new();

    public PrinterKind PrinterFor(IUnwinder unwinder)
    {
        ArgumentNullException.ThrowIfNull(unwinder);
        return Printer ?? (unwinder.CanVouch ? PrinterKind.Smart : PrinterKind.Classic);
    }
}
