namespace EntryModel.Machine.Execution;

/// <summary>What a host hypercall handler decided.</summary>
public enum HypercallOutcome
{
    /// <summary>Not this handler's call: the machine stops with <see cref="StopKind.Hypercall"/>.</summary>
    NotHandled,

    /// <summary>Handled; RAX holds the result; keep running.</summary>
    Continue,

    /// <summary>Handled, but stop now with <see cref="StopKind.HostRequest"/> (RIP past the VMCALL).</summary>
    Stop,

    /// <summary>Handled: the guest powered off; stop with <see cref="StopKind.PowerOff"/>.</summary>
    PowerOff,
}
