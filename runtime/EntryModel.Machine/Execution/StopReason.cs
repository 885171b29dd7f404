namespace EntryModel.Machine.Execution;

/// <summary>
/// A typed reason for a stop: the kind, RIP at the stop, the instructions retired in this run,
/// and the details of the kind (the vector and error code of an exception, the hypercall number,
/// the exit code of POWER_OFF).
/// </summary>
public readonly record struct StopReason(
    StopKind Kind,
    ulong Rip,
    long Instructions,
    int Vector = -1,
    ulong ErrorCode = 0,
    ulong Code = 0)
{
    public override string ToString() => Kind switch
    {
        StopKind.UnhandledException or StopKind.TripleFault => $"{Kind} vector {Vector} error 0x{ErrorCode:x} at 0x{Rip:x} after {Instructions} instructions",
        StopKind.Hypercall or StopKind.HostRequest => $"{Kind} {Code} at 0x{Rip:x} after {Instructions} instructions",
        StopKind.PowerOff => $"PowerOff exit code {Code} after {Instructions} instructions",
        _ => $"{Kind} at 0x{Rip:x} after {Instructions} instructions",
    };
}
