namespace EntryModel.Unwinding.Image;

/// <summary>
/// The defines by which a strategy's image says what its entry code marks: an unwinder that reads a
/// mark can vouch for a trace only on an image whose strategy makes that mark. One place, read by
/// the unwinders and by the catalog.
/// </summary>
public static class StrategyMarks
{
    public const string FramePointer = "CONFIG_FRAME_POINTER";
    public const string PtRegsFrame = "CONFIG_PT_REGS_FRAME";
    public const string EncodedRbp = "CONFIG_ENCODED_RBP";
    public const string EntrySection = "CONFIG_ENTRY_SECTION";
    public const string TaskFlag = "CONFIG_TASK_FLAG";
    public const string Orc = "CONFIG_UNWINDER_ORC";

    public static bool Marks(this UnwindImage image, string define)
    {
        ArgumentNullException.ThrowIfNull(image);
        return image.Image.Defines.Contains(define);
    }
}
