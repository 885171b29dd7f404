namespace EntryModel.Machine.Execution;

/// <summary>One VMCALL as the host sees it: the number and three arguments, and where it was issued.</summary>
public readonly record struct Hypercall(ulong Number, ulong Arg0, ulong Arg1, ulong Arg2, ulong Rip);
