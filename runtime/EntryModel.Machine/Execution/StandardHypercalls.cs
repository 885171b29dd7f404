using EntryModel.Machine.Memory;

namespace EntryModel.Machine.Execution;

/// <summary>
/// The project's standard hypercalls: MAP_PAGE maps a zeroed page, LOG collects values, POWER_OFF ends
/// the run, DUMP_STACK calls <see cref="DumpStack"/> (or stops for the host when none is set).
/// Unknown numbers are left to the caller (a <see cref="StopKind.Hypercall"/> stop).
/// </summary>
public sealed class StandardHypercalls : IHypercallHandler
{
    private readonly List<ulong> logged = [];

    /// <summary>Called for DUMP_STACK; when null the machine stops with <see cref="StopKind.HostRequest"/>.</summary>
    public Action<X86Machine>? DumpStack { get; set; }

    public IReadOnlyList<ulong> Logged => logged;

    /// <summary>When set, the next DUMP_STACK stops the machine (<see cref="StopKind.HostRequest"/>) after its handler ran, and the flag clears.</summary>
    public bool StopAfterDump { get; set; }

    /// <summary>Forgets the values logged after the first <paramref name="count"/>, as a machine restored to an earlier point never logged them.</summary>
    public void TruncateLog(int count) => logged.RemoveRange(count, logged.Count - count);

    public HypercallOutcome Handle(X86Machine machine, Hypercall hypercall)
    {
        ArgumentNullException.ThrowIfNull(machine);
        switch (hypercall.Number)
        {
            case HypercallNumber.MapPage:
                if ((hypercall.Arg0 & GuestMemory.PageMask) != 0 || !GuestMemory.IsCanonical(hypercall.Arg0))
                {
                    machine.Cpu.Gpr[0] = ulong.MaxValue; // -1: refused
                    return HypercallOutcome.Continue;
                }

                var perms = (PagePermissions)(hypercall.Arg1 & 7);
                machine.Memory.Map(hypercall.Arg0, GuestMemory.PageSize, perms);
                machine.Cpu.Gpr[0] = 0;
                return HypercallOutcome.Continue;
            case HypercallNumber.Log:
                logged.Add(hypercall.Arg0);
                machine.Cpu.Gpr[0] = 0;
                return HypercallOutcome.Continue;
            case HypercallNumber.PowerOff:
                return HypercallOutcome.PowerOff;
            case HypercallNumber.DumpStack:
                if (DumpStack == null)
                {
                    return HypercallOutcome.Stop;
                }

                DumpStack(machine);
                machine.Cpu.Gpr[0] = 0;
                if (StopAfterDump)
                {
                    StopAfterDump = false;
                    return HypercallOutcome.Stop;
                }

                return HypercallOutcome.Continue;
            default:
                return HypercallOutcome.NotHandled;
        }
    }
}
