namespace EntryModel.Generators.Extraction;

/// <summary>Metadata names of the runtime's declaration attributes (runtime/EntryModel/Declarations).</summary>
internal static class AttributeNames
{
    public const string KernelModel = "EntryModel.KernelModelAttribute";
    public const string FrameStrategy = "EntryModel.FrameStrategyAttribute";
    public const string Section = "EntryModel.SectionAttribute";
    public const string GasMacros = "EntryModel.GasMacrosAttribute";
    public const string GasCode = "EntryModel.GasCodeAttribute";
    public const string IdtEntry = "EntryModel.IdtEntryAttribute";
    public const string SyscallEntry = "EntryModel.SyscallEntryAttribute";
    public const string GasFile = "EntryModel.GasFileAttribute";

    /// <summary>The attributes that make a field a declaration.</summary>
    public static readonly string[] Declarations = [GasMacros, GasCode, IdtEntry, SyscallEntry];

    /// <summary>The attributes that mean nothing outside a model: the declarations and where their text comes from.</summary>
    public static readonly string[] ModelOnly = [GasMacros, GasCode, IdtEntry, SyscallEntry, GasFile];
}
