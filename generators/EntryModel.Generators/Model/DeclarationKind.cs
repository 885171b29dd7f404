namespace EntryModel.Generators.Model;

/// <summary>What an attributed field declares (mirrors the runtime's attributes).</summary>
internal enum DeclarationKind
{
    Macros,
    Code,
    IdtEntry,
    SyscallEntry,
}
