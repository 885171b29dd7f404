namespace EntryModel;

/// <summary>What a symbol names, like ELF's <c>.type</c> plus the entry-code kinds.</summary>
public enum SymbolKind
{
    /// <summary>A normal function with (or without) a frame.</summary>
    Function = 0,

    /// <summary>An entry stub reached from hardware: IDT, syscall, interrupt.</summary>
    Entry = 1,

    /// <summary>A marker function never executed, only named by return addresses (the fake <c>pt_regs</c>).</summary>
    Marker = 2,

    /// <summary>Data.</summary>
    Data = 3,

    /// <summary>A label inside another symbol's body made global (a kallsyms entry of its own).</summary>
    Label = 4,
}
