namespace EntryModel.Generators.Syntax;

/// <summary>What a statement says once its labels are read.</summary>
internal enum StatementForm
{
    /// <summary>Only labels, or nothing.</summary>
    Empty,

    /// <summary><c>name = expr</c> (also <c>name=expr</c> and <c>name= expr</c>).</summary>
    Assignment,

    /// <summary>A directive (<c>.word ...</c>), unless its word is <c>NAME(args)</c> and NAME a macro.</summary>
    Directive,

    /// <summary>A macro call or an instruction: which one depends on the macros defined when it runs.</summary>
    MacroCallOrInstruction,
}
