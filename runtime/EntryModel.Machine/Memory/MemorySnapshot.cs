namespace EntryModel.Machine.Memory;

/// <summary>A frozen view of the whole address space: the root of the page tree at one moment.</summary>
public sealed class MemorySnapshot
{
    internal MemorySnapshot(PageDirectory root, int mappedPages)
    {
        Root = root;
        MappedPages = mappedPages;
    }

    public int MappedPages { get; }

    internal PageDirectory Root { get; }
}
