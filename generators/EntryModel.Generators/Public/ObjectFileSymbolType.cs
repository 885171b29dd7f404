namespace EntryModel.Generators.Public;

/// <summary>A symbol's ELF type (STT_*), as <c>.type</c> gave it; the values are ELF's.</summary>
public enum ObjectFileSymbolType
{
    NoType = 0,
    // STT_OBJECT: a variable, an array (CA1720 keeps the name off "Object").
    Data = 1,
    Function = 2,
}
