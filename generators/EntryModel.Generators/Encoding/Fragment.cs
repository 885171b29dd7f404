using System.Collections.Generic;

namespace EntryModel.Generators.Encoding;

/// <summary>
/// The items one declaration puts into one section: its main body, or what it pushed into another
/// section with <c>.pushsection</c>. Laid out as a unit at one address.
/// </summary>
internal sealed class Fragment : Placement.IPlaceable
{
    public Fragment(int declaration, string section, bool isMain)
    {
        Declaration = declaration;
        Section = section;
        IsMain = isMain;
    }

    public int Declaration { get; }

    public string Section { get; }

    /// <summary>The declaration's own body (as opposed to a pushed section).</summary>
    public bool IsMain { get; }

    public ulong? FixedAddress { get; set; }

    /// <summary>Declared size to pad to, or 0.</summary>
    public int FixedSize { get; set; }

    public int Align { get; set; } = 1;

    public List<Item> Items { get; } = new List<Item>();

    public ulong Address { get; set; }

    ulong? Placement.IPlaceable.Fixed => FixedAddress;

    /// <summary>Length of the content (without padding to <see cref="FixedSize"/>).</summary>
    public long ContentLength { get; set; }

    /// <summary>Extent in the image: the fixed size when given, else the content length.</summary>
    public long Extent => FixedSize > 0 && FixedSize > ContentLength ? FixedSize : ContentLength;
}
