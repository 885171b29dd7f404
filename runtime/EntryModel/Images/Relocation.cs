namespace EntryModel;

/// <summary>How a symbolic reference was resolved into the bytes, as an ELF relocation would say.</summary>
public enum RelocationKind
{
    /// <summary>64-bit absolute (R_X86_64_64).</summary>
    Absolute64,

    /// <summary>32-bit absolute, zero-extended (R_X86_64_32).</summary>
    Absolute32,

    /// <summary>32-bit absolute, sign-extended (R_X86_64_32S).</summary>
    Absolute32Signed,

    /// <summary>32-bit PC-relative (R_X86_64_PC32 / PLT32).</summary>
    Relative32,

    /// <summary>8-bit PC-relative (a short branch).</summary>
    Relative8,

    /// <summary>16-bit absolute.</summary>
    Absolute16,

    /// <summary>8-bit absolute.</summary>
    Absolute8,
}

/// <summary>A symbolic reference: where in the image, what kind, to which symbol plus addend.</summary>
public readonly record struct Relocation(ulong Address, RelocationKind Kind, string Symbol, long Addend);
