namespace EntryModel.Unwinding.Image;

/// <summary>
/// The kernel's <c>__kernel_text_address</c> test: one range from the first to the end of the last
/// kernel text, like <c>_stext</c>..<c>_etext</c>. User code is never kernel text.
/// </summary>
public readonly record struct KernelTextRange(ulong Start, ulong End)
{
    public bool Contains(ulong address) => address >= Start && address < End;

    /// <summary>The range covering every executable, non-user chunk of <paramref name="image"/>.</summary>
    public static KernelTextRange FromImage(KernelImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        ulong start = ulong.MaxValue, end = 0;
        foreach (var chunk in image.Chunks)
        {
            if ((chunk.Flags & SectionPermissions.Executable) == 0 || (chunk.Flags & SectionPermissions.User) != 0)
            {
                continue;
            }

            start = Math.Min(start, chunk.Address);
            end = Math.Max(end, chunk.End);
        }

        return start < end ? new KernelTextRange(start, end) : default;
    }
}
