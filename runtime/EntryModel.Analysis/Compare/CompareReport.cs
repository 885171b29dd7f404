using System.Globalization;
using System.Text;
using EntryModel.Analysis.Cost;

namespace EntryModel.Analysis.Compare;

/// <summary>The comparison as Markdown (one table) and CSV (one row per strategy and unwinder).</summary>
public static class CompareReport
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static string Markdown(IReadOnlyList<CompareRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var none = rows.FirstOrDefault(r => r.Strategy == "none")?.Cost;
        var text = new StringBuilder();
        text.Append("| strategy | unwinder | entry code bytes | unwind table bytes | #PF entry insns (+none) | #PF entry stack | syscall entry insns (+none) | IRQ entry insns (+none) | exit insns #PF/syscall/IRQ | unwind ns/frame | samples | exact | incomplete (unreliable) | wrong (not reliable) | wrong while reliable | vouched | misattributed | not transparent | seed's ideal trace |\n");
        text.Append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        foreach (var r in rows)
        {
            var pf = r.Cost.Path(StrategyCosts.PageFault);
            var sc = r.Cost.Path(StrategyCosts.Syscall);
            var irq = r.Cost.Path(StrategyCosts.Interrupt);
            string Added(EventPathCost p, string path) => none is null ? string.Empty : string.Create(C, $" ({p.EntryInstructions - none.Path(path).EntryInstructions:+0;-0;+0})");
            text.Append(C, $"| {r.Strategy} | {r.Unwinder}{(r.Own ? "*" : string.Empty)} | {r.Cost.EntryCodeBytes} | {r.Cost.UnwindTableBytes} | {pf.EntryInstructions}{Added(pf, StrategyCosts.PageFault)} | {pf.EntryStackBytes} | {sc.EntryInstructions}{Added(sc, StrategyCosts.Syscall)} | {irq.EntryInstructions}{Added(irq, StrategyCosts.Interrupt)} | {pf.ExitInstructions}/{sc.ExitInstructions}/{irq.ExitInstructions} | {r.UnwindNsPerFrame:0.0} | {r.Sweep.Samples} | {r.Sweep.Exact} ({r.ExactPercent:0.0}%) | {r.Sweep.Incomplete} | {r.Sweep.Wrong} | {r.Sweep.WrongWhileReliable} | {r.Sweep.Vouched} | {r.MisattributedPercent:0.0}% | {r.NotTransparent} | {(r.SeedIdeal ? "yes" : "no")} |\n");
        }

        return text.ToString();
    }

    public static string Csv(IReadOnlyList<CompareRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var text = new StringBuilder();
        text.Append("strategy,unwinder,own,entry_code_bytes,unwind_table_bytes,pf_entry_insns,pf_entry_stack_bytes,pf_exit_insns,syscall_entry_insns,syscall_entry_stack_bytes,syscall_exit_insns,irq_entry_insns,irq_entry_stack_bytes,irq_exit_insns,unwind_ns_per_frame,samples,exact,unreliable,wrong,wrong_while_reliable,vouched,failures,profile_samples,misattributed,seed_ideal\n");
        foreach (var r in rows)
        {
            var pf = r.Cost.Path(StrategyCosts.PageFault);
            var sc = r.Cost.Path(StrategyCosts.Syscall);
            var irq = r.Cost.Path(StrategyCosts.Interrupt);
            text.Append(C, $"{r.Strategy},{r.Unwinder},{(r.Own ? 1 : 0)},{r.Cost.EntryCodeBytes},{r.Cost.UnwindTableBytes},{pf.EntryInstructions},{pf.EntryStackBytes},{pf.ExitInstructions},{sc.EntryInstructions},{sc.EntryStackBytes},{sc.ExitInstructions},{irq.EntryInstructions},{irq.EntryStackBytes},{irq.ExitInstructions},{r.UnwindNsPerFrame:0.00},{r.Sweep.Samples},{r.Sweep.Exact},{r.Sweep.Incomplete},{r.Sweep.Wrong},{r.Sweep.WrongWhileReliable},{r.Sweep.Vouched},{r.NotTransparent},{r.ProfileSamples},{r.Misattributed},{(r.SeedIdeal ? 1 : 0)}\n");
        }

        return text.ToString();
    }
}
