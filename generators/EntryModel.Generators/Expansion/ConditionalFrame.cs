namespace EntryModel.Generators.Expansion;

/// <summary>One open <c>.if</c>: whether its enclosing block is active, whether a branch was taken, and where it opened.</summary>
internal sealed class ConditionalFrame
{
    public ConditionalFrame(bool parentActive, bool active, SourceRef opened)
    {
        ParentActive = parentActive;
        Active = active;
        Taken = active;
        Opened = opened;
    }

    public bool ParentActive { get; }

    public bool Active { get; set; }

    public bool Taken { get; set; }

    public bool SeenElse { get; set; }

    public SourceRef Opened { get; }
}
