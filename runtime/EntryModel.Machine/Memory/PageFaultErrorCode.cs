namespace EntryModel.Machine.Memory;

/// <summary>The #PF error code bits (SDM vol. 3, 4.7).</summary>
[Flags]
public enum PageFaultErrorCode : uint
{
    /// <summary>0: the page was not present; 1: a protection violation.</summary>
    Present = 1,

    /// <summary>The access was a write.</summary>
    Write = 2,

    /// <summary>The access was made in user mode (CPL 3).</summary>
    User = 4,

    ReservedBit = 8,

    /// <summary>The access was an instruction fetch.</summary>
    InstructionFetch = 16,
}
