namespace EntryModel.Unwinding.Image;

/// <summary>
/// One row of the <c>section</c> strategy's table: a return address in entry code, and where the
/// pt_regs of that entry sits relative to the slot holding that return address: at
/// <c>slot + Offset</c>, or (when <see cref="Indirect"/>) at the address stored there, as when the
/// handler runs on the IRQ stack and the entry left a pointer to the task stack's pt_regs.
/// </summary>
public readonly record struct EntryRegsRecord(ulong ReturnAddress, long Offset, bool Indirect);
