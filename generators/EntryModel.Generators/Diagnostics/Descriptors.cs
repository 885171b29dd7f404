using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace EntryModel.Generators.Diagnostics;

/// <summary>
/// The Roslyn descriptor of every id in <see cref="DiagnosticIds"/>. Each message is "{0}": the
/// assembler or the extractor writes the full sentence, the descriptor adds id, title and severity.
/// Every assembler problem is an error: an image built from text the generator could not understand
/// would be a wrong image. Stack-validation findings are warnings (a strategy can raise or hide them).
/// </summary>
internal static class Descriptors
{
    private const string Category = "EntryModel";
    private const string ValidationCategory = "EntryModel.StackValidation";

    public static readonly DiagnosticDescriptor UnknownMnemonic = Create(DiagnosticIds.UnknownMnemonic, "Unknown mnemonic");
    public static readonly DiagnosticDescriptor BadOperand = Create(DiagnosticIds.BadOperand, "Bad operand");
    public static readonly DiagnosticDescriptor UndefinedSymbol = Create(DiagnosticIds.UndefinedSymbol, "Undefined symbol");
    public static readonly DiagnosticDescriptor DuplicateSymbol = Create(DiagnosticIds.DuplicateSymbol, "Duplicate symbol");
    public static readonly DiagnosticDescriptor MacroArity = Create(DiagnosticIds.MacroArity, "Macro called with the wrong arguments");
    public static readonly DiagnosticDescriptor UnknownMacroParameter = Create(DiagnosticIds.UnknownMacroParameter, "Unknown macro parameter");
    public static readonly DiagnosticDescriptor UnbalancedConditional = Create(DiagnosticIds.UnbalancedConditional, "Unbalanced conditional");
    public static readonly DiagnosticDescriptor SizeOverflow = Create(DiagnosticIds.SizeOverflow, "Code overflows its fixed size");
    public static readonly DiagnosticDescriptor OverlappingAddresses = Create(DiagnosticIds.OverlappingAddresses, "Overlapping fixed addresses");
    public static readonly DiagnosticDescriptor SyntaxError = Create(DiagnosticIds.SyntaxError, "Syntax error");
    public static readonly DiagnosticDescriptor UnknownDirective = Create(DiagnosticIds.UnknownDirective, "Unknown directive");
    public static readonly DiagnosticDescriptor ValueOutOfRange = Create(DiagnosticIds.ValueOutOfRange, "Value out of range");
    public static readonly DiagnosticDescriptor MacroRecursion = Create(DiagnosticIds.MacroRecursion, "Macro recursion too deep");
    public static readonly DiagnosticDescriptor BadDeclaration = Create(DiagnosticIds.BadDeclaration, "Bad declaration");
    public static readonly DiagnosticDescriptor UnbalancedMacro = Create(DiagnosticIds.UnbalancedMacro, "Unbalanced .macro/.endm");
    public static readonly DiagnosticDescriptor UnknownRegister = Create(DiagnosticIds.UnknownRegister, "Unknown register");
    public static readonly DiagnosticDescriptor LayoutError = Create(DiagnosticIds.LayoutError, "Layout error");
    public static readonly DiagnosticDescriptor AssemblerError = Create(DiagnosticIds.AssemblerError, "Assembler error");
    public static readonly DiagnosticDescriptor ExpressionTooDeep = Create(DiagnosticIds.ExpressionTooDeep, "Expression nests too deeply");
    public static readonly DiagnosticDescriptor StatementBudgetExceeded = Create(DiagnosticIds.StatementBudgetExceeded, "Declaration expands to too many statements");
    public static readonly DiagnosticDescriptor ByteBudgetExceeded = Create(DiagnosticIds.ByteBudgetExceeded, "Declaration emits too many bytes");
    public static readonly DiagnosticDescriptor GasFileNotFound = Create(DiagnosticIds.GasFileNotFound, "No AdditionalFiles item matches the [GasFile] path");
    public static readonly DiagnosticDescriptor GasFileAmbiguous = Create(DiagnosticIds.GasFileAmbiguous, "Several AdditionalFiles items match the [GasFile] path");
    public static readonly DiagnosticDescriptor GasFileWithoutDeclaration = Create(DiagnosticIds.GasFileWithoutDeclaration, "[GasFile] on a field that declares nothing");

    // The file's text is assembled and the field's ignored: worth saying, but the image is right.
    public static readonly DiagnosticDescriptor GasFileFieldHasText = new(DiagnosticIds.GasFileFieldHasText, "[GasFile] field's own text is ignored", "{0}", Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);
    public static readonly DiagnosticDescriptor ModelNotStaticPartial = Create(DiagnosticIds.ModelNotStaticPartial, "Kernel model class must be static partial");
    public static readonly DiagnosticDescriptor DeclarationNotConstString = Create(DiagnosticIds.DeclarationNotConstString, "Declaration field must be a const string");
    public static readonly DiagnosticDescriptor NoFrameStrategy = Create(DiagnosticIds.NoFrameStrategy, "Kernel model declares no frame strategy");
    public static readonly DiagnosticDescriptor DuplicateStrategy = Create(DiagnosticIds.DuplicateStrategy, "Duplicate frame strategy");
    public static readonly DiagnosticDescriptor DeclarationOutsideModel = Create(DiagnosticIds.DeclarationOutsideModel, "Declaration outside a kernel model");
    public static readonly DiagnosticDescriptor ConflictingDeclarationAttributes = Create(DiagnosticIds.ConflictingDeclarationAttributes, "Field carries more than one declaration attribute");
    public static readonly DiagnosticDescriptor InvalidAttributeValue = Create(DiagnosticIds.InvalidAttributeValue, "Invalid attribute value");
    public static readonly DiagnosticDescriptor StrategyNameConflict = Create(DiagnosticIds.StrategyNameConflict, "Frame strategy name does not give a usable property name");
    public static readonly DiagnosticDescriptor UnsupportedModelShape = Create(DiagnosticIds.UnsupportedModelShape, "Kernel model class must be a top-level, non-generic class");
    public static readonly DiagnosticDescriptor DuplicateSection = Create(DiagnosticIds.DuplicateSection, "Duplicate section");
    public static readonly DiagnosticDescriptor InternalError = Create(DiagnosticIds.InternalError, "EntryModel generator internal error");

    // Validation findings are warnings: the image is still right, its frames are what is in question.
    public static readonly DiagnosticDescriptor CallWithoutFrame = Warning(DiagnosticIds.CallWithoutFrame, "Call without frame pointer save/setup");
    public static readonly DiagnosticDescriptor ReturnWithModifiedFrame = Warning(DiagnosticIds.ReturnWithModifiedFrame, "Return with modified stack frame");
    public static readonly DiagnosticDescriptor StackStateMismatch = Warning(DiagnosticIds.StackStateMismatch, "Stack state mismatch between paths");
    public static readonly DiagnosticDescriptor FramePointerMismatch = Warning(DiagnosticIds.FramePointerMismatch, "Frame-pointer state mismatch between paths");
    public static readonly DiagnosticDescriptor UnreachableInstruction = Warning(DiagnosticIds.UnreachableInstruction, "Unreachable instruction");
    public static readonly DiagnosticDescriptor UndefinedStackState = Warning(DiagnosticIds.UndefinedStackState, "Undefined stack state");
    public static readonly DiagnosticDescriptor UnsupportedStackPointerUse = Warning(DiagnosticIds.UnsupportedStackPointerUse, "Unsupported stack-pointer use");
    public static readonly DiagnosticDescriptor MissingHint = Warning(DiagnosticIds.MissingHint, "Missing unwind hint");
    public static readonly DiagnosticDescriptor FallsThrough = Warning(DiagnosticIds.FallsThrough, "Function falls through to the next function");
    public static readonly DiagnosticDescriptor SiblingCallWithModifiedFrame = Warning(DiagnosticIds.SiblingCallWithModifiedFrame, "Tail call with modified stack frame");
    public static readonly DiagnosticDescriptor BpScratch = Warning(DiagnosticIds.BpScratch, "%rbp used as a scratch register");
    public static readonly DiagnosticDescriptor EndOfSection = Warning(DiagnosticIds.EndOfSection, "Code runs off the end of its section");
    public static readonly DiagnosticDescriptor DirectionFlag = Warning(DiagnosticIds.DirectionFlag, "Direction flag set across a call or return");
    public static readonly DiagnosticDescriptor BadHint = Warning(DiagnosticIds.BadHint, "Bad unwind hint");
    public static readonly DiagnosticDescriptor BadDestination = Warning(DiagnosticIds.BadDestination, "Branch, call or bytes validation cannot follow");

    private static readonly Dictionary<string, DiagnosticDescriptor> ById = Index(
        UnknownMnemonic, BadOperand, UndefinedSymbol, DuplicateSymbol, MacroArity, UnknownMacroParameter,
        UnbalancedConditional, SizeOverflow, OverlappingAddresses, SyntaxError, UnknownDirective, ValueOutOfRange,
        MacroRecursion, BadDeclaration, UnbalancedMacro, UnknownRegister, LayoutError, AssemblerError,
        ExpressionTooDeep, StatementBudgetExceeded, ByteBudgetExceeded,
        GasFileNotFound, GasFileAmbiguous, GasFileWithoutDeclaration, GasFileFieldHasText,
        ModelNotStaticPartial, DeclarationNotConstString, NoFrameStrategy, DuplicateStrategy, DeclarationOutsideModel,
        ConflictingDeclarationAttributes, InvalidAttributeValue, StrategyNameConflict, UnsupportedModelShape,
        DuplicateSection, InternalError,
        CallWithoutFrame, ReturnWithModifiedFrame, StackStateMismatch, FramePointerMismatch, UnreachableInstruction,
        UndefinedStackState, UnsupportedStackPointerUse, MissingHint, FallsThrough, SiblingCallWithModifiedFrame, BpScratch,
        EndOfSection, DirectionFlag, BadHint, BadDestination);

    /// <summary>Every descriptor, one per id.</summary>
    public static IReadOnlyCollection<DiagnosticDescriptor> All => ById.Values;

    /// <summary>
    /// The descriptor of <paramref name="id"/>. An id the table does not know (an assembler newer
    /// than this table) still gets an error descriptor of its own rather than being lost.
    /// </summary>
    public static DiagnosticDescriptor For(string id) =>
        ById.TryGetValue(id, out var descriptor) ? descriptor : Create(id, "EntryModel assembler error");

    private static DiagnosticDescriptor Create(string id, string title) =>
        new(id, title, "{0}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    private static DiagnosticDescriptor Warning(string id, string title) =>
        new(id, title, "{0}", ValidationCategory, DiagnosticSeverity.Warning, isEnabledByDefault: true);

    private static Dictionary<string, DiagnosticDescriptor> Index(params DiagnosticDescriptor[] descriptors)
    {
        var byId = new Dictionary<string, DiagnosticDescriptor>(System.StringComparer.Ordinal);
        foreach (var descriptor in descriptors)
        {
            byId.Add(descriptor.Id, descriptor);
        }

        return byId;
    }
}
