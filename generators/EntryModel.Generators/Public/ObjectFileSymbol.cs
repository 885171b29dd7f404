namespace EntryModel.Generators.Public;

/// <summary>
/// A symbol of an assembled object (not a section symbol): defined in <see cref="Section"/> at
/// <see cref="Value"/>, absolute (<see cref="IsAbsolute"/>, a <c>.set</c> constant), or undefined
/// (neither: named by relocations only); its ELF type, size (from <c>.size</c>) and binding.
/// </summary>
public sealed class ObjectFileSymbol
{
    public ObjectFileSymbol(string name, string? section, bool isAbsolute, long value, long size, ObjectFileSymbolType type, ObjectFileBinding binding)
    {
        Name = name;
        Section = section;
        IsAbsolute = isAbsolute;
        Value = value;
        Size = size;
        Type = type;
        Binding = binding;
    }

    public string Name { get; }

    public string? Section { get; }

    public bool IsAbsolute { get; }

    public bool IsUndefined => Section == null && !IsAbsolute;

    public long Value { get; }

    public long Size { get; }

    public ObjectFileSymbolType Type { get; }

    public ObjectFileBinding Binding { get; }
}
