namespace EntryModel.Generators.Public;

/// <summary>
/// What GNU as assembles for, as its <c>--64</c> and <c>--32</c> choose: 64-bit code in an ELF64
/// x86-64 object with RELA relocations, or 32-bit code in an ELF32 i386 object with REL relocations
/// (addends in the section bytes). The kernel builds its 32-bit vDSO with <c>-m32</c>, i.e. <c>as --32</c>.
/// </summary>
public enum ObjectFileMachine
{
    /// <summary><c>as --64</c>: x86-64.</summary>
    Amd64 = 0,

    /// <summary><c>as --32</c>: i386.</summary>
    I386 = 1,
}
