namespace EntryModel;

/// <summary>
/// Takes a declaration's GAS text from a whole <c>.s</c>/<c>.S</c> file instead of the field's value.
/// The file must be an <c>AdditionalFiles</c> item of the project; <see cref="Path"/> names it by
/// file name or by a path relative to the project (any trailing part of its path that names one
/// item only). The field still says what it declares: put this next to <see cref="GasCodeAttribute"/>,
/// <see cref="IdtEntryAttribute"/>, <see cref="SyscallEntryAttribute"/> or <see cref="GasMacrosAttribute"/>,
/// on a <c>const string</c> left empty. The file is assembled as it is (no C# escaping), and
/// diagnostics point at its own lines.
/// </summary>
[AttributeUsage(AttributeTargets.Field, AllowMultiple = false, Inherited = false)]
public sealed class GasFileAttribute : Attribute
{
    public GasFileAttribute(string path)
    {
        Path = path;
    }

    /// <summary>The file, e.g. <c>entry_64.s</c> or <c>arch/x86/entry/entry_64.s</c>.</summary>
    public string Path { get; }
}
