namespace EntryModel;

/// <summary>One IDT gate of an image: vector, the stub it enters and how the CPU enters it.</summary>
public readonly record struct IdtGate(int Vector, string Stub, ulong Address, string? Handler, bool ErrorCode, int Ist, bool Interrupt, int Dpl);
