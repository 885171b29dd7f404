namespace EntryModel.Generators.Diagnostics;

/// <summary>Every diagnostic the generator reports. Ids are stable; messages say what to fix.</summary>
internal static class DiagnosticIds
{
    public const string UnknownMnemonic = "EM0001";
    public const string BadOperand = "EM0002";
    public const string UndefinedSymbol = "EM0003";
    public const string DuplicateSymbol = "EM0004";
    public const string MacroArity = "EM0005";
    public const string UnknownMacroParameter = "EM0006";
    public const string UnbalancedConditional = "EM0007";
    public const string SizeOverflow = "EM0008";
    public const string OverlappingAddresses = "EM0009";
    public const string SyntaxError = "EM0010";
    public const string UnknownDirective = "EM0011";
    public const string ValueOutOfRange = "EM0012";
    public const string MacroRecursion = "EM0013";
    public const string BadDeclaration = "EM0014";
    public const string UnbalancedMacro = "EM0015";
    public const string UnknownRegister = "EM0016";
    public const string LayoutError = "EM0017";
    public const string AssemblerError = "EM0018";
    public const string ExpressionTooDeep = "EM0019";

    // Budgets: what one declaration may expand to, so hostile text cannot exhaust the compiler.
    public const string StatementBudgetExceeded = "EM0030";
    public const string ByteBudgetExceeded = "EM0031";

    // Whole files as sources ([GasFile]): the AdditionalFiles item a declaration names.
    public const string GasFileNotFound = "EM0032";
    public const string GasFileAmbiguous = "EM0033";
    public const string GasFileWithoutDeclaration = "EM0034";
    public const string GasFileFieldHasText = "EM0035";

    // Attribute-level problems, found while reading the C# declarations (before any assembling).
    public const string ModelNotStaticPartial = "EM0020";
    public const string DeclarationNotConstString = "EM0021";
    public const string NoFrameStrategy = "EM0022";
    public const string DuplicateStrategy = "EM0023";
    public const string DeclarationOutsideModel = "EM0024";
    public const string ConflictingDeclarationAttributes = "EM0025";
    public const string InvalidAttributeValue = "EM0026";
    public const string StrategyNameConflict = "EM0027";
    public const string UnsupportedModelShape = "EM0028";
    public const string DuplicateSection = "EM0029";

    // Stack validation (objtool's rules), warnings by default: see Validation/ValidationRule.cs.
    public const string CallWithoutFrame = "EM0201";
    public const string ReturnWithModifiedFrame = "EM0202";
    public const string StackStateMismatch = "EM0203";
    public const string FramePointerMismatch = "EM0204";
    public const string UnreachableInstruction = "EM0205";
    public const string UndefinedStackState = "EM0206";
    public const string UnsupportedStackPointerUse = "EM0207";
    public const string MissingHint = "EM0208";
    public const string FallsThrough = "EM0209";
    public const string SiblingCallWithModifiedFrame = "EM0210";
    public const string BpScratch = "EM0211";
    public const string EndOfSection = "EM0212";
    public const string DirectionFlag = "EM0213";
    public const string BadHint = "EM0214";
    public const string BadDestination = "EM0215";

    public const string InternalError = "EM0099";
}
