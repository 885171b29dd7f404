namespace EntryModel.Machine.GroundTruth;

/// <summary>A growable stack of live frames, outermost first; pushing and popping do not allocate once warm.</summary>
internal sealed class FrameChain
{
    private TrueFrame[] frames = new TrueFrame[64];

    public int Count { get; private set; }

    public ref TrueFrame Top => ref frames[Count - 1];

    public ref TrueFrame this[int index] => ref frames[index];

    public void Push(in TrueFrame frame)
    {
        if (Count == frames.Length)
        {
            Array.Resize(ref frames, Count * 2);
        }

        frames[Count++] = frame;
    }

    public void Pop() => Count--;

    public void Truncate(int count) => Count = count;

    public TrueFrame[] ToArray() => frames.AsSpan(0, Count).ToArray();

    public ReadOnlySpan<TrueFrame> AsSpan() => frames.AsSpan(0, Count);

    public void Load(TrueFrame[] saved)
    {
        if (frames.Length < saved.Length)
        {
            frames = new TrueFrame[saved.Length * 2];
        }

        saved.CopyTo(frames, 0);
        Count = saved.Length;
    }
}
