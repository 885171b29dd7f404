using System.Collections.Generic;

namespace EntryModel.Generators.Emit;

/// <summary>Strings of an image written once and referred to by index from the numeric tables.</summary>
internal sealed class StringTable
{
    private readonly Dictionary<string, int> indices = new(System.StringComparer.Ordinal);
    private readonly List<string> strings = [];

    public IReadOnlyList<string> Strings => strings;

    public int IndexOf(string value)
    {
        if (!indices.TryGetValue(value, out int index))
        {
            index = strings.Count;
            strings.Add(value);
            indices.Add(value, index);
        }

        return index;
    }
}
