using Iced.Intel;

namespace EntryModel.Unwinding.Image;

/// <summary>
/// Every address that follows a near call in the image's kernel text, with the call's target when
/// it is direct: what reliable mode checks a return address against ("does it follow a call, and
/// a call to the function the inner frame was in?"). Decoded once per image from its line map.
/// </summary>
public sealed class CallSites
{
    /// <summary>The value of <see cref="TryGetTarget"/>'s target for an indirect call.</summary>
    public const ulong Indirect = 0;

    private readonly Dictionary<ulong, ulong> targets;

    private CallSites(Dictionary<ulong, ulong> targets) => this.targets = targets;

    public int Count => targets.Count;

    /// <summary>Every address that follows a call, in no particular order.</summary>
    public IEnumerable<ulong> ReturnAddresses => targets.Keys;

    public bool TryGetTarget(ulong returnAddress, out ulong target) => targets.TryGetValue(returnAddress, out target);

    public static CallSites FromImage(KernelImage image, KernelTextRange text)
    {
        ArgumentNullException.ThrowIfNull(image);
        var targets = new Dictionary<ulong, ulong>();
        var chunks = image.Chunks.Where(c => text.Contains(c.Address)).OrderBy(c => c.Address).ToArray();
        foreach (var line in image.Lines)
        {
            var chunk = Array.Find(chunks, c => line.Address >= c.Address && line.Address + (ulong)line.Length <= c.End);
            if (chunk is null || line.Length is < 2 or > 15)
            {
                continue;
            }

            var bytes = chunk.Bytes.AsSpan((int)(line.Address - chunk.Address), line.Length).ToArray();
            var decoder = Decoder.Create(64, new ByteArrayCodeReader(bytes), line.Address);
            decoder.Decode(out var instruction);
            if (instruction.Length != line.Length || instruction.FlowControl is not (FlowControl.Call or FlowControl.IndirectCall))
            {
                continue;
            }

            targets[instruction.NextIP] = instruction.FlowControl == FlowControl.Call ? instruction.NearBranchTarget : Indirect;
        }

        return new CallSites(targets);
    }
}
