namespace EntryModel.Generators.Public;

/// <summary>A symbol's ELF binding (STB_*), as <c>.globl</c> and <c>.weak</c> set it; the values are ELF's.</summary>
public enum ObjectFileBinding
{
    Local = 0,
    Global = 1,
    Weak = 2,
}
