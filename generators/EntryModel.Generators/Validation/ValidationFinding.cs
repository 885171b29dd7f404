namespace EntryModel.Generators.Validation;

/// <summary>One broken rule: which, the address of the offending instruction, and objtool's text for it.</summary>
internal sealed record ValidationFinding(ValidationRule Rule, ulong Address, string Message);
