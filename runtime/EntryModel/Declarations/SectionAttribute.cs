namespace EntryModel;

/// <summary>
/// Declares where a section of the model is placed and how its pages are mapped.
/// Declarations without a fixed address follow each other from the section's base.
/// Sections not declared use defaults: <c>.text</c>, <c>.entry.text</c>, <c>.rodata</c>, <c>.data</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class SectionAttribute : Attribute
{
    public SectionAttribute(string name, ulong address, SectionPermissions flags)
    {
        Name = name;
        Address = address;
        Flags = flags;
    }

    public string Name { get; }

    public ulong Address { get; }

    public SectionPermissions Flags { get; }
}
