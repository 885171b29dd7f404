namespace EntryModel.Machine.Delivery;

/// <summary>Architectural exception vectors (SDM vol. 3, table 6-1).</summary>
public static class ExceptionVector
{
    public const int DivideError = 0;
    public const int Debug = 1;
    public const int Nmi = 2;
    public const int Breakpoint = 3;
    public const int Overflow = 4;
    public const int BoundRange = 5;
    public const int InvalidOpcode = 6;
    public const int DeviceNotAvailable = 7;
    public const int DoubleFault = 8;
    public const int InvalidTss = 10;
    public const int SegmentNotPresent = 11;
    public const int StackFault = 12;
    public const int GeneralProtection = 13;
    public const int PageFault = 14;
    public const int AlignmentCheck = 17;

    /// <summary>Whether the CPU pushes an error code for <paramref name="vector"/> (64-bit mode).</summary>
    public static bool PushesErrorCode(int vector) => vector is DoubleFault or InvalidTss or SegmentNotPresent or StackFault or GeneralProtection or PageFault or AlignmentCheck or 21;

    /// <summary>#DE, #TS, #NP, #SS, #GP: a second one while delivering one of these is a #DF.</summary>
    public static bool IsContributory(int vector) => vector is DivideError or InvalidTss or SegmentNotPresent or StackFault or GeneralProtection;
}
