namespace EntryModel;

/// <summary>The base registers of an ORC row, with the kernel's numbering (<c>ORC_REG_*</c>).</summary>
public enum OrcRegister : byte
{
    Undefined = 0,
    PrevSp = 1,
    Dx = 2,
    Di = 3,
    Bp = 4,
    Sp = 5,
    R10 = 6,
    R13 = 7,
    BpIndirect = 8,
    SpIndirect = 9,
}
