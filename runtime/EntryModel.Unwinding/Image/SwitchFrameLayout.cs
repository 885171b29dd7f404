namespace EntryModel.Unwinding.Image;

/// <summary>
/// A sleeping task's switch frame (the kernel's <c>inactive_task_frame</c>) at its saved RSP: where
/// the saved %rbp and the return address into the scheduler sit, and the frame's size. From the
/// image's SWITCH_FRAME_* constants.
/// </summary>
public sealed record SwitchFrameLayout(int Bp, int ReturnAddress, int Size)
{
    /// <summary>Six callee-saved registers (r15 first, rbp last), then the return address.</summary>
    public static SwitchFrameLayout Linux { get; } = new(Bp: 5 * 8, ReturnAddress: 6 * 8, Size: 7 * 8);

    public static SwitchFrameLayout FromImage(KernelImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var c = image.Constants;
        return c.TryGetValue("SWITCH_FRAME_RBP", out long bp) && c.TryGetValue("SWITCH_FRAME_RET", out long ret) && c.TryGetValue("SWITCH_FRAME_SIZE", out long size)
            ? new SwitchFrameLayout((int)bp, (int)ret, (int)size)
            : Linux;
    }
}
