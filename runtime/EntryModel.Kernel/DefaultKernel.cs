namespace EntryModel.Kernel;

/// <summary>
/// The embedded default model: enough of a 2016-era x86-64 kernel, and one user program, for the
/// seed's event to happen for real: a <c>read()</c> whose copy to the user buffer page-faults, with
/// <c>dump_stack()</c> called from the fault handler. Functions sit at the addresses and sizes of
/// the seed's traces. Each partial file of this class holds one part of the kernel as GAS text;
/// the source generator builds one <see cref="KernelImage"/> per frame strategy.
/// </summary>
[KernelModel]
[FrameStrategy("none", "CONFIG_FRAME_POINTER", Description = "Frame pointers in functions; entry code leaves %rbp alone (the seed's \"Before\").")]
[FrameStrategy("pt-regs-frame", "CONFIG_FRAME_POINTER", "CONFIG_PT_REGS_FRAME", Description = "Entry code pushes a fake frame whose return address is pt_regs+1 (the seed's \"After\").")]
[FrameStrategy("encoded-rbp", "CONFIG_FRAME_POINTER", "CONFIG_ENCODED_RBP", Description = "Entry code points %rbp at pt_regs with the low bit set before calling a handler.")]
[FrameStrategy("section", "CONFIG_FRAME_POINTER", "CONFIG_ENTRY_SECTION", Description = "Entry code that calls C is in .entry.*, and .entry_regs records, per call, where pt_regs sits from its return address.")]
[FrameStrategy("task-flag", "CONFIG_FRAME_POINTER", "CONFIG_TASK_FLAG", Description = "A task preempted from an interrupt carries PF_PREEMPT_IRQ while it sleeps.")]
[FrameStrategy("orc", "CONFIG_UNWINDER_ORC", Description = "No frame pointers; entry code carries unwind hints for an ORC-style table.")]
[Section(".text", 0xffffffff81000000, SectionPermissions.Executable)]
[Section(".entry.text", 0xffffffff81884000, SectionPermissions.Executable)]
[Section(".entry.idt", 0xffffffff818864f0, SectionPermissions.Executable)]
[Section(".rodata", 0xffffffff81a00000, SectionPermissions.None)]
[Section(".entry_regs", 0xffffffff81a08000, SectionPermissions.None)]
[Section(".data", 0xffffffff81c00000, SectionPermissions.Writable)]
[Section(".user.text", 0x400000, SectionPermissions.User | SectionPermissions.Executable)]
[Section(".user.data", 0x600000, SectionPermissions.User | SectionPermissions.Writable)]
public static partial class DefaultKernel
{
}
